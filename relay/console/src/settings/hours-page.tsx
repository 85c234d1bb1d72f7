import { useEffect, useMemo, useState } from 'preact/hooks'
import type { MessageKey } from '../i18n.ts'
import { useI18n } from '../views/context.ts'
import type { BusinessCalendar, Holiday, OpeningInterval, SettingsApi, Weekday } from './api.ts'
import { calendarProblem, defaultCalendar, timeZones, WEEKDAYS } from './forms.ts'
import { useRemote } from './use-remote.ts'

const ownZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

/** Settings → Business hours: a time zone, weekly hours per day (overnight shifts allowed), holidays. */
export function HoursPage({ api, siteId }: { api: SettingsApi; siteId: string }) {
  const { t, error: describe } = useI18n()
  const remote = useRemote(() => api.helpdesk(siteId), [api, siteId])
  const [calendar, setCalendar] = useState<BusinessCalendar | null>(null)
  const [always, setAlways] = useState(true)
  const [message, setMessage] = useState<{ kind: 'alert' | 'status'; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const zones = useMemo(() => timeZones(ownZone()), [])

  useEffect(() => {
    if (!remote.data) return
    const site = remote.data.businessHours?.site ?? null
    setAlways(site === null)
    setCalendar(site ?? defaultCalendar(ownZone()))
  }, [remote.data])

  if (remote.error)
    return (
      <section class="settings-section">
        <h1>{t('settings.hours.title')}</h1>
        <p role="alert" class="form-error">
          {describe(remote.error)}
        </p>
      </section>
    )
  if (!calendar || !remote.data) return <p class="muted">{t('kb.loading')}</p>

  const setDay = (day: Weekday, intervals: OpeningInterval[]) =>
    setCalendar({ ...calendar, weekly: { ...calendar.weekly, [day]: intervals } })
  const holidays = calendar.holidays ?? []
  const setHolidays = (next: Holiday[]) => setCalendar({ ...calendar, holidays: next })

  const save = async () => {
    const problem = always ? null : calendarProblem(calendar)
    if (problem) {
      setMessage({ kind: 'alert', text: t(problem) })
      return
    }
    const teams = remote.data?.businessHours?.teams
    setBusy(true)
    const reply = await api.saveHelpdesk(siteId, {
      businessHours: always && !teams ? null : { site: always ? null : calendar, ...(teams && { teams }) },
    })
    setBusy(false)
    if (reply.ok) {
      remote.set(reply.data)
      setMessage({ kind: 'status', text: t('settings.saved') })
    } else setMessage({ kind: 'alert', text: describe(reply.error) })
  }

  return (
    <section class="settings-section" aria-labelledby="hours-title">
      <header class="settings-head">
        <div>
          <h1 id="hours-title">{t('settings.hours.title')}</h1>
          <p class="muted">{t('settings.hours.intro')}</p>
        </div>
      </header>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <fieldset class="card">
          <legend>{t('settings.hours.when')}</legend>
          <label class="check">
            <input type="radio" name="hours-mode" checked={always} onChange={() => setAlways(true)} />
            <span>{t('settings.hours.always')}</span>
          </label>
          <label class="check">
            <input type="radio" name="hours-mode" checked={!always} onChange={() => setAlways(false)} />
            <span>{t('settings.hours.scheduled')}</span>
          </label>
        </fieldset>

        {!always && (
          <>
            <fieldset class="card">
              <legend>{t('settings.hours.weekly')}</legend>
              <div class="field">
                <label for="time-zone">{t('settings.hours.timeZone')}</label>
                <select
                  id="time-zone"
                  value={calendar.timeZone}
                  onChange={(e) => setCalendar({ ...calendar, timeZone: e.currentTarget.value })}
                >
                  {[...new Set([calendar.timeZone, ...zones])].map((z) => (
                    <option key={z} value={z}>
                      {z.replace(/_/g, ' ')}
                    </option>
                  ))}
                </select>
              </div>
              <ul class="week">
                {WEEKDAYS.map((day) => {
                  const intervals = calendar.weekly[day] ?? []
                  const dayName = t(`settings.day.${day}` as MessageKey)
                  return (
                    <li key={day} class="week-day">
                      <label class="check week-open">
                        <input
                          type="checkbox"
                          checked={intervals.length > 0}
                          onChange={(e) =>
                            setDay(day, e.currentTarget.checked ? [{ start: '09:00', end: '17:00' }] : [])
                          }
                        />
                        <span class="week-name">{dayName}</span>
                      </label>
                      <div class="week-intervals">
                        {intervals.length === 0 && <span class="muted">{t('settings.hours.closed')}</span>}
                        {intervals.map((iv, i) => (
                          <IntervalInputs
                            key={i}
                            interval={iv}
                            label={dayName}
                            onChange={(next) =>
                              setDay(
                                day,
                                intervals.map((x, j) => (j === i ? next : x)),
                              )
                            }
                            onRemove={() =>
                              setDay(
                                day,
                                intervals.filter((_, j) => j !== i),
                              )
                            }
                          />
                        ))}
                        {intervals.length > 0 && (
                          <button
                            type="button"
                            class="link-button"
                            onClick={() => setDay(day, [...intervals, { start: '18:00', end: '22:00' }])}
                          >
                            {t('settings.hours.addHours')}
                          </button>
                        )}
                      </div>
                    </li>
                  )
                })}
              </ul>
              <p class="muted">{t('settings.hours.overnight')}</p>
            </fieldset>

            <fieldset class="card">
              <legend>{t('settings.hours.holidays')}</legend>
              {holidays.length === 0 && <p class="muted">{t('settings.hours.noHolidays')}</p>}
              <ul class="holidays">
                {holidays.map((h, i) => {
                  const put = (next: Holiday) => setHolidays(holidays.map((x, j) => (j === i ? next : x)))
                  const partial = (h.open?.length ?? 0) > 0
                  return (
                    <li key={i} class="holiday">
                      <input
                        type="date"
                        aria-label={t('settings.hours.date')}
                        value={h.date}
                        onInput={(e) => put({ ...h, date: e.currentTarget.value })}
                      />
                      <input
                        aria-label={t('settings.hours.holidayName')}
                        placeholder={t('settings.hours.holidayName')}
                        value={h.name ?? ''}
                        maxLength={200}
                        onInput={(e) => put({ ...h, name: e.currentTarget.value })}
                      />
                      <label class="check check--inline">
                        <input
                          type="checkbox"
                          checked={partial}
                          onChange={(e) => {
                            const { open: _drop, ...rest } = h
                            put(
                              e.currentTarget.checked
                                ? { ...rest, open: [{ start: '09:00', end: '13:00' }] }
                                : rest,
                            )
                          }}
                        />
                        <span>{t('settings.hours.partial')}</span>
                      </label>
                      {partial &&
                        (h.open ?? []).map((iv, k) => (
                          <IntervalInputs
                            key={k}
                            interval={iv}
                            label={h.name || h.date}
                            onChange={(next) =>
                              put({ ...h, open: (h.open ?? []).map((x, j) => (j === k ? next : x)) })
                            }
                          />
                        ))}
                      <button
                        type="button"
                        class="btn btn--small btn--ghost"
                        aria-label={t('settings.hours.removeHoliday', { date: h.date || '—' })}
                        onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}
                      >
                        {t('settings.remove')}
                      </button>
                    </li>
                  )
                })}
              </ul>
              <button
                type="button"
                class="btn btn--small"
                onClick={() =>
                  setHolidays([...holidays, { date: new Date().toISOString().slice(0, 10), name: '' }])
                }
              >
                {t('settings.hours.addHoliday')}
              </button>
            </fieldset>
          </>
        )}
        <div class="settings-foot">
          {message && (
            <p role={message.kind} class={message.kind === 'alert' ? 'form-error' : 'form-ok'}>
              {message.text}
            </p>
          )}
          <button type="submit" class="btn btn--primary" disabled={busy} aria-busy={busy}>
            {t('settings.hours.save')}
          </button>
        </div>
      </form>
    </section>
  )
}

function IntervalInputs(props: {
  interval: OpeningInterval
  label: string
  onChange(next: OpeningInterval): void
  onRemove?: () => void
}) {
  const { t } = useI18n()
  const { interval: iv } = props
  return (
    <span class="interval">
      <input
        type="time"
        aria-label={t('settings.hours.opens', { day: props.label })}
        value={iv.start}
        onInput={(e) => props.onChange({ ...iv, start: e.currentTarget.value })}
      />
      <span aria-hidden="true">–</span>
      <input
        type="time"
        aria-label={t('settings.hours.closes', { day: props.label })}
        value={iv.end === '24:00' ? '00:00' : iv.end}
        onInput={(e) => props.onChange({ ...iv, end: e.currentTarget.value })}
      />
      {props.onRemove && (
        <button
          type="button"
          class="btn btn--ghost btn--small"
          aria-label={t('settings.hours.removeHours', { day: props.label })}
          onClick={props.onRemove}
        >
          ×
        </button>
      )}
    </span>
  )
}
