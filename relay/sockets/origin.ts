/** Origin checks for socket handshakes (browsers always send Origin; cookies make it matter). */
import type { IncomingHttpHeaders } from 'node:http'

/** The relay's own origin as the browser sees it, from the Host header (or the configured URL). */
export function ownOrigins(
  headers: IncomingHttpHeaders,
  publicUrl: string | null,
  secure: boolean,
): string[] {
  const origins: string[] = []
  if (publicUrl) origins.push(new URL(publicUrl).origin)
  const host = headers.host
  if (host) origins.push(`${secure ? 'https' : 'http'}://${host}`)
  return origins
}

/** True when a widget for a site may connect from this origin. */
export function widgetOriginAllowed(origin: string | undefined, own: string[], allowed: string[]): boolean {
  // Non-browser clients send no Origin; the token, not the origin, protects their data.
  if (!origin) return true
  return own.includes(origin) || allowed.includes('*') || allowed.includes(origin)
}
