import type { EncryptedColumn } from "../../domain/encrypted-column.ts";
import {
  listEncryptedPreviousWebhookSecretsForUpdate,
  listEncryptedWebhookSecretsForUpdate,
  writeEncryptedPreviousWebhookSecret,
  writeEncryptedWebhookSecret,
} from "./webhooks.repository.ts";

/** The webhook signing secrets (whsec_…), and the previous one of a rotation while it still signs. */
export const webhookSecretColumns: EncryptedColumn[] = [
  {
    name: "webhook_subscriptions.secret_encrypted",
    listForUpdate: listEncryptedWebhookSecretsForUpdate,
    write: writeEncryptedWebhookSecret,
  },
  {
    name: "webhook_subscriptions.previous_secret_encrypted",
    listForUpdate: listEncryptedPreviousWebhookSecretsForUpdate,
    write: writeEncryptedPreviousWebhookSecret,
  },
];
