/** Test support: a loopback HTTP server in the shape of the Graph API's send endpoint; records every request. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface GraphRequest {
  method: string
  path: string
  authorization: string | undefined
  body: {
    messaging_product?: string
    to?: string
    type?: string
    text?: { body?: string }
    template?: {
      name?: string
      language?: { code?: string }
      components?: { type?: string; parameters?: { type?: string; text?: string }[] }[]
    }
  }
}

/** The Graph API's error object, e.g. `{ code: 131047, message: 'Re-engagement message' }`. */
export interface GraphError {
  code: number
  message: string
  [field: string]: unknown
}

export interface FakeGraphApi {
  url: string
  requests: GraphRequest[]
  /** The status the next sends answer with (200 by default). */
  failWith(status: number | null): void
  /**
   * Only the next `count` sends answer `status` (with `error` as the body's `error`, when given);
   * the ones after them answer as before.
   */
  failNext(count: number, status: number, error?: GraphError): void
  close(): Promise<void>
}

export async function startGraphApi(): Promise<FakeGraphApi> {
  const requests: GraphRequest[] = []
  let failure: number | null = null
  let failures: { left: number; status: number; error?: GraphError } | null = null
  let sent = 0
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
      })
      response.setHeader('content-type', 'application/json')
      const next = failures && failures.left-- > 0 ? failures : null
      const status = next ? next.status : failure
      if (status !== null) {
        response.statusCode = status
        const error =
          next?.error ??
          (status >= 500
            ? { message: 'An unexpected error has occurred. Please retry your request later.', code: 2 }
            : { message: 'Invalid OAuth access token', code: 190 })
        response.end(JSON.stringify({ error }))
        return
      }
      sent++
      response.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: 'x', wa_id: 'x' }],
          messages: [{ id: `wamid.out${sent}` }],
        }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    requests,
    failWith(status) {
      failure = status
    },
    failNext(count, status, error) {
      failures = { left: count, status, ...(error && { error }) }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
