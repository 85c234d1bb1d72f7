/** The console's sections, in the top bar: the inbox, the knowledge-base pages, reports, settings. */
import { useEffect, useState } from 'preact/hooks'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from '../views/context.ts'
import { kbPageFromHash } from './route.ts'

/** The location hash, kept current. */
export function useHash(): string {
  const [hash, setHash] = useState(() => location.hash)
  useEffect(() => {
    const onChange = (): void => setHash(location.hash)
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return hash
}

const SECTIONS: { key: MessageKey; href: string; page: string | null; admin?: boolean }[] = [
  { key: 'nav.inbox', href: '#/', page: null },
  { key: 'nav.kb', href: '#/kb', page: 'kb' },
  { key: 'nav.gaps', href: '#/gaps', page: 'gaps' },
  { key: 'nav.review', href: '#/review', page: 'review' },
  { key: 'nav.reports', href: '#/reports', page: 'reports' },
  { key: 'nav.policy', href: '#/settings/policy', page: 'policy' },
  { key: 'nav.settings', href: '#/settings/agents', page: 'settings', admin: true },
]

/** `admin`: also the helpdesk settings (agents, teams, macros, SLAs), which agents do not see. */
export function KbNav({ admin = false }: { admin?: boolean }) {
  const { t } = useI18n()
  const hash = useHash()
  const page = kbPageFromHash(hash)
  const inbox = hash === '' || hash === '#/' || hash.startsWith('#/c/')
  const settings = hash.startsWith('#/settings/') && !hash.startsWith('#/settings/policy')
  const reports = hash === '#/reports' || hash.startsWith('#/reports?')
  const current =
    page === null
      ? inbox
        ? null
        : settings
          ? 'settings'
          : reports
            ? 'reports'
            : 'other'
      : page.name === 'gaps' || page.name === 'review'
        ? page.name
        : 'kb'
  return (
    <nav class="sections" aria-label={t('nav.label')}>
      {SECTIONS.filter((s) => admin || !s.admin).map((s) => (
        <a
          key={s.href}
          href={s.href}
          class="section-link"
          aria-current={s.page === current ? 'page' : undefined}
        >
          {t(s.key)}
        </a>
      ))}
    </nav>
  )
}
