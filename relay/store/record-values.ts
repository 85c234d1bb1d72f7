/** What every Store accepts as a keyed record's namespace and value (Store.getRecord and the rest). */

/** What a namespace may be: it names a folder of the lowdb store, so no `/`, no `..`, no upper case (case-insensitive disks). */
const NAMESPACE = /^[a-z0-9][a-z0-9._-]{0,99}$/

/** Throws for a namespace that could not name a folder safely. */
export function checkNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace) || namespace.includes('..'))
    throw new Error(
      `store: record namespace ${JSON.stringify(namespace)} is not lowercase letters, digits, . _ -`,
    )
}

/** A value as JSON keeps it (what the PostgreSQL store reads back); undefined is refused. */
export function asJson(value: unknown): unknown {
  const text = JSON.stringify(value)
  if (text === undefined) throw new Error('store: a record value must be JSON data')
  return JSON.parse(text)
}
