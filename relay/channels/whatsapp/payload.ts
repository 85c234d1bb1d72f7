/**
 * The WhatsApp Cloud API webhook payload, as far as Parley reads it: `entry[].changes[].value` with
 * `metadata.phone_number_id`, `contacts[].profile.name`, `messages[]` and `statuses[]`. Unknown
 * fields are allowed (Meta adds them); a message type Parley does not know is kept as a placeholder.
 */
import { z } from 'zod'

const MediaSchema = z.object({
  id: z.string(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
})

export const WaMessageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: MediaSchema.optional(),
  video: MediaSchema.optional(),
  audio: MediaSchema.optional(),
  document: MediaSchema.optional(),
  sticker: MediaSchema.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  button: z.object({ text: z.string() }).optional(),
  interactive: z
    .object({
      button_reply: z.object({ title: z.string() }).optional(),
      list_reply: z.object({ title: z.string() }).optional(),
    })
    .optional(),
})
export type WaMessage = z.infer<typeof WaMessageSchema>

export const WaStatusSchema = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() })).optional(),
})
export type WaStatus = z.infer<typeof WaStatusSchema>

export const WaValueSchema = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }),
  contacts: z
    .array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string() }).optional() }))
    .optional(),
  messages: z.array(WaMessageSchema).optional(),
  statuses: z.array(WaStatusSchema).optional(),
})
export type WaValue = z.infer<typeof WaValueSchema>

export const WaWebhookSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
})

const MEDIA = ['image', 'video', 'audio', 'document', 'sticker'] as const

/** What an agent reads for one message: its text, or a readable placeholder (media is not downloaded). */
export function textOf(message: WaMessage): string {
  if (message.type === 'text' && message.text) return message.text.body
  for (const kind of MEDIA) {
    const media = message[kind]
    if (message.type === kind && media) {
      const label = [media.caption, media.filename].filter(Boolean).join(' ')
      return `[${kind}]${label ? ` ${label}` : ''} (media ${media.id})`
    }
  }
  if (message.type === 'location' && message.location) {
    const { latitude, longitude, name, address } = message.location
    return `[location] ${[name, address].filter(Boolean).join(', ')} (${latitude}, ${longitude})`.replace(
      '  ',
      ' ',
    )
  }
  if (message.button) return message.button.text
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply
  if (reply) return reply.title
  return `[${message.type}]`
}
