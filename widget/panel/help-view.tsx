/** The self-service views: the search field in the header, the results list, the article view. */
import { useEffect, useRef } from 'preact/hooks'
import { ArticleText } from './article-text.tsx'
import type { Help } from './help.ts'
import type { HelpState } from './help-store.ts'
import type { Strings } from './i18n.ts'
import { safeUrl } from './messages.tsx'

export function SearchField({ help, state, t }: { help: Help; state: HelpState; t: Strings }) {
  return (
    <search>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault()
          help.submit()
        }}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="11" cy="11" r="6.5" />
          <path d="m16 16 4.5 4.5" />
        </svg>
        <input
          type="search"
          aria-label={t.searchHelp}
          placeholder={t.searchPlaceholder}
          maxLength={200}
          value={state.query}
          onInput={(e) => help.input(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Escape in a non-empty field clears it (back to the chat) instead of closing the panel.
            if (e.key === 'Escape' && state.query !== '') {
              e.preventDefault()
              e.stopPropagation()
              help.input('')
            }
          }}
        />
      </form>
    </search>
  )
}

interface PaneProps {
  help: Help
  state: HelpState
  t: Strings
  relayUrl: string
}

export function HelpPane({ help, state, t, relayUrl }: PaneProps) {
  return (
    <div class="help">
      {state.view === 'article' ? (
        <ArticleView help={help} state={state} t={t} relayUrl={relayUrl} />
      ) : (
        <Results help={help} state={state} t={t} />
      )}
      <button type="button" class="to-chat" onClick={help.backToChat}>
        {t.backToChat}
      </button>
    </div>
  )
}

function Results({ help, state, t }: Omit<PaneProps, 'relayUrl'>) {
  const status = state.error
    ? t.searchFailed
    : state.searching && state.resultsFor === null
      ? t.searching
      : state.resultsFor !== null && state.results.length === 0
        ? t.noResults
        : ''
  return (
    <>
      <p class="help-status" role="status" aria-busy={state.searching ? 'true' : undefined}>
        {status}
      </p>
      {state.results.length > 0 && (
        <ul class="results" aria-label={t.helpResults}>
          {state.results.map((r) => (
            <li key={r.slug}>
              <button type="button" class="result" onClick={() => help.open(r.slug)}>
                <span class="result-title">{r.title}</span>
                <span class="result-excerpt">{r.excerpt}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

function ArticleView({ help, state, t, relayUrl }: PaneProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  const article = state.article
  // Reading starts at the title, for keyboard and screen-reader users alike.
  useEffect(() => {
    if (article) heading.current?.focus()
  }, [article])
  const vote = article ? state.votes[article.slug] : undefined
  const href = article ? safeUrl(article.url, relayUrl) : null
  return (
    <>
      <button type="button" class="link back" onClick={help.backToResults}>
        {t.backToResults}
      </button>
      {!article ? (
        <p class="help-status" role="status">
          {state.articleLoading ? t.searching : t.articleFailed}
        </p>
      ) : (
        <article class="article" aria-labelledby="parley-article-title">
          <h3 id="parley-article-title" tabIndex={-1} ref={heading}>
            {article.title}
          </h3>
          <ArticleText markdown={article.body} base={relayUrl} />
          {href && (
            <a class="link" href={href} target="_blank" rel="noopener">
              {t.openArticle}
            </a>
          )}
          <fieldset class="vote">
            <legend>{t.wasHelpful}</legend>
            {vote === undefined ? (
              <>
                <button type="button" onClick={() => help.vote(article.slug, true)}>
                  {t.yes}
                </button>
                <button type="button" onClick={() => help.vote(article.slug, false)}>
                  {t.no}
                </button>
              </>
            ) : (
              <span role="status">{vote ? t.thanksHelpful : t.thanksNotHelpful}</span>
            )}
          </fieldset>
        </article>
      )}
    </>
  )
}
