/** Test support: WhatsApp Cloud API webhook bodies and their signed delivery to a relay. */
import { createHmac } from 'node:crypto'

export const WA_APP_SECRET = 'whatsapp-app-secret-for-tests'
export const WA_PHONE_NUMBER_ID = '106540352242922'

/** A webhook body with `messages` from `waId` (and its profile name), or `statuses`. */
export function waDelivery(
  content: { messages?: object[]; statuses?: object[] },
  options: { waId?: string; name?: string; phoneNumberId?: string } = {},
): object {
  const { waId = '34612345678', name = 'Lucía Gómez', phoneNumberId = WA_PHONE_NUMBER_ID } = options
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...(content.messages && {
                contacts: [{ profile: { name }, wa_id: waId }],
                messages: content.messages,
              }),
              ...(content.statuses && { statuses: content.statuses }),
            },
          },
        ],
      },
    ],
  }
}

/** One inbound text message. */
export const waText = (id: string, body: string, from = '34612345678', timestamp = '1749416383') => ({
  from,
  id,
  timestamp,
  type: 'text',
  text: { body },
})

/** `X-Hub-Signature-256` of the exact bytes. */
export const waSignature = (raw: Buffer | string, secret = WA_APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`

/** POSTs a body (an object is serialised once, and those bytes are signed) to `/webhooks/whatsapp`. */
export function postWhatsApp(
  relayUrl: string,
  body: object | string,
  signature: string | null = waSignature(typeof body === 'string' ? body : JSON.stringify(body)),
): Promise<Response> {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8')
  return fetch(`${relayUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature !== null && { 'x-hub-signature-256': signature }),
    },
    body: raw,
  })
}
