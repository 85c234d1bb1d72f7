/** Import in the console: several .md files, or one pasted article; the relay parses and reports. */
import { useState } from 'preact/hooks'
import { useI18n } from '../views/context.ts'
import type { KbApi } from './api.ts'

interface FileError {
  file: string
  message: string
}

export function ImportPanel({ api, siteId, onImported }: { api: KbApi; siteId: string; onImported(): void }) {
  const { t, error: describe } = useI18n()
  const [files, setFiles] = useState<File[]>([])
  const [slug, setSlug] = useState('')
  const [pasted, setPasted] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<string | null>(null)
  const [failure, setFailure] = useState<{ text: string; files: FileError[] } | null>(null)

  async function submit(event: Event): Promise<void> {
    event.preventDefault()
    setResult(null)
    setFailure(null)
    const payload = await Promise.all(files.map(async (f) => ({ name: f.name, content: await f.text() })))
    if (pasted.trim()) payload.push({ name: `${slug.trim()}.md`, content: pasted })
    if (payload.length === 0) {
      setFailure({ text: t('import.nothing'), files: [] })
      return
    }
    setBusy(true)
    const reply = await api.importFiles(siteId, payload)
    setBusy(false)
    if (!reply.ok) {
      const details = reply.error.details?.files
      setFailure({
        text: describe(reply.error),
        files: Array.isArray(details)
          ? (details as FileError[])
          : [{ file: '', message: reply.error.message }],
      })
      return
    }
    const r = reply.data.report
    setResult(
      t('import.done', {
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        verified: r.verified,
        drafts: r.drafts,
      }),
    )
    setFiles([])
    setPasted('')
    setSlug('')
    onImported()
  }

  return (
    <form class="import-panel" aria-label={t('import.title')} onSubmit={(e) => void submit(e)}>
      <h3>{t('import.title')}</h3>
      <label class="field">
        <span>{t('import.files')}</span>
        <input
          type="file"
          accept=".md,text/markdown"
          multiple
          onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))}
        />
        <small class="muted">{t('import.filesHint')}</small>
      </label>
      <fieldset class="field">
        <legend>{t('import.paste')}</legend>
        <input
          type="text"
          aria-label={t('import.pasteSlug')}
          placeholder={t('import.pasteSlug')}
          value={slug}
          onInput={(e) => setSlug(e.currentTarget.value)}
        />
        <textarea
          aria-label={t('import.pasteBody')}
          placeholder={'---\ntitle: …\ntags: [ … ]\nverified: false\n---\n…'}
          rows={6}
          value={pasted}
          onInput={(e) => setPasted(e.currentTarget.value)}
        />
      </fieldset>
      <button type="submit" class="btn btn--primary" disabled={busy} aria-busy={busy}>
        {t('import.submit')}
      </button>
      {result && <p role="status">{result}</p>}
      {failure && (
        <div role="alert" class="kb-error">
          <p>{failure.text}</p>
          <ul>
            {failure.files.map((f) => (
              <li key={f.file + f.message}>
                {f.file && <strong>{f.file}: </strong>}
                {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  )
}
