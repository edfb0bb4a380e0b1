import {
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
  WebhookPageSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
  type CreateWebhookBody,
  type UpdateWebhookBody,
  type Webhook,
  type WebhookDelivery,
  type WebhookListQuery,
  type WebhookWithSecret,
} from "@status/shared";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiClient } from "@/lib/api-client.ts";
import { notificationKeys } from "./notification-keys.ts";

export type WebhookPage = z.infer<typeof WebhookPageSchema>;
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPageSchema>;

export const DEFAULT_WEBHOOK_QUERY: WebhookListQuery = { page: 1, pageSize: 50, includeDeleted: false };

/** The user's webhook subscriptions (ADMIN: everyone's). */
export async function getWebhooks(query: WebhookListQuery, signal?: AbortSignal): Promise<WebhookPage> {
  const params = { page: String(query.page), pageSize: String(query.pageSize) };
  const response = await apiClient.get("/webhooks", { params, signal });
  return WebhookPageSchema.parse(response.data);
}

export function getWebhooksQueryOptions(query: WebhookListQuery = DEFAULT_WEBHOOK_QUERY) {
  return queryOptions({
    queryKey: notificationKeys.webhookList(query),
    queryFn: ({ signal }) => getWebhooks(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useWebhooks(query: WebhookListQuery = DEFAULT_WEBHOOK_QUERY) {
  return useQuery(getWebhooksQueryOptions(query));
}

/** The delivery log of one subscription, refreshed while it is open (deliveries happen in the background). */
export function useWebhookDeliveries(webhookId: string) {
  return useQuery({
    queryKey: notificationKeys.deliveries(webhookId),
    queryFn: async ({ signal }) => {
      const response = await apiClient.get(`/webhooks/${webhookId}/deliveries`, { signal });
      return WebhookDeliveryPageSchema.parse(response.data);
    },
    refetchInterval: 5_000,
  });
}

function useInvalidatingMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}

/** Creates a subscription; the answer is the only time its signing secret is shown. */
export function useCreateWebhook() {
  return useInvalidatingMutation(async (body: CreateWebhookBody): Promise<WebhookWithSecret> => {
    const response = await apiClient.post("/webhooks", body);
    return WebhookWithSecretSchema.parse(response.data);
  });
}

export function useUpdateWebhook() {
  return useInvalidatingMutation(async ({ id, body }: { id: string; body: UpdateWebhookBody }): Promise<Webhook> => {
    const response = await apiClient.patch(`/webhooks/${id}`, body);
    return WebhookSchema.parse(response.data);
  });
}

export function useDeleteWebhook() {
  return useInvalidatingMutation(async (id: string): Promise<void> => {
    await apiClient.delete(`/webhooks/${id}`);
  });
}

export function useRotateWebhookSecret() {
  return useInvalidatingMutation(async (id: string): Promise<WebhookWithSecret> => {
    const response = await apiClient.post(`/webhooks/${id}/rotate-secret`);
    return WebhookWithSecretSchema.parse(response.data);
  });
}

/** Queues a test event; a worker delivers it and the log shows the outcome. */
export function useSendTestEvent() {
  return useInvalidatingMutation(async (id: string): Promise<WebhookDelivery> => {
    const response = await apiClient.post(`/webhooks/${id}/test`);
    return WebhookDeliverySchema.parse(response.data);
  });
}

export function useReplayDelivery() {
  return useInvalidatingMutation(
    async ({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }): Promise<WebhookDelivery> => {
      const response = await apiClient.post(`/webhooks/${webhookId}/deliveries/${deliveryId}/replay`);
      return WebhookDeliverySchema.parse(response.data);
    },
  );
}
