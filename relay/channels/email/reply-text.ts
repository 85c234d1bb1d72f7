/**
 * What an agent reads of an email reply: the new text, without the quoted history and the
 * signature. The full original is kept beside it (records.ts). The npm reply parsers need Node 22
 * (`email-reply-parser` 2) or a native regex engine (`re2` in 1.x), so these are rules, kept small.
 */

/** Lines where quoted history starts, in the clients and languages seen most. */
const QUOTE_HEADERS: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "On Tue, 3 Jun 2025 at 10:00, Ann <ann@x.com> wrote:"
  /^\s*On\b.{0,400}\bwrote:\s*$/i,
  /^\s*Le\b.{0,400}\ba écrit\s*:\s*$/i,
  /^\s*Am\b.{0,400}\bschrieb.{0,100}:\s*$/i,
  /^\s*El\b.{0,400}\bescribió:\s*$/i,
  /^\s*Op\b.{0,400}\bschreef.{0,100}:\s*$/i,
  /^\s*-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^\s*Begin forwarded message:\s*$/i,
]

/** Outlook's header block: "From: …" followed within a few lines by "Sent:"/"Date:" and "To:"/"Subject:". */
function isOutlookHeader(lines: string[], index: number): boolean {
  if (!/^\s*\*?(From|Von|De|Van)\s*:\*?\s/i.test(lines[index] ?? '')) return false
  const next = lines.slice(index + 1, index + 6).join('\n')
  return (
    /^\s*\*?(Sent|Date|Gesendet|Envoyé|Enviado)\s*:/im.test(next) &&
    /^\s*\*?(To|Subject|An|À|Para|Betreff|Objet|Asunto)\s*:/im.test(next)
  )
}

/** Mobile and webmail footers that are a signature in all but name. */
const FOOTERS = [
  /^\s*Sent from my \w+/i,
  /^\s*Get Outlook for /i,
  /^\s*Sent from (Mail|Yahoo Mail|Outlook)\b/i,
]

/** The reply part of a plain-text email body. Empty input gives empty output. */
export function extractReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let end = lines.length
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    // An attribution wrapped over two lines ("On …, Ann <ann@x.com>" / "wrote:").
    const joined = `${line} ${lines[i + 1] ?? ''}`
    const twoLine = /^\s*On\b/i.test(line) && /^\s*\S*\s*wrote:\s*$/i.test(lines[i + 1] ?? '')
    if (QUOTE_HEADERS.some((re) => re.test(line)) || (twoLine && QUOTE_HEADERS[0]?.test(joined))) {
      end = i
      break
    }
    if (isOutlookHeader(lines, i) || (/^\s*_{10,}\s*$/.test(line) && isOutlookHeader(lines, i + 1))) {
      end = i
      break
    }
    // The standard signature separator ("-- "), and a bare "--" that clients leave after trimming.
    if (/^-- ?$/.test(line) || FOOTERS.some((re) => re.test(line))) {
      end = i
      break
    }
  }
  const kept = lines.slice(0, end)
  // A trailing block of ">" quotes (and blank lines) is history too; inline quotes above a reply stay.
  while (kept.length > 0 && /^\s*(>.*)?$/.test(kept[kept.length - 1] ?? '')) kept.pop()
  return kept.join('\n').trim()
}
