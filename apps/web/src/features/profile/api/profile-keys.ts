/** Query keys of the profile feature; mutations invalidate through the same factory. */
export const profileKeys = {
  all: ["profile"] as const,
  sessions: () => [...profileKeys.all, "sessions"] as const,
  secondFactor: () => [...profileKeys.all, "second-factor"] as const,
  notificationPreferences: () => [...profileKeys.all, "notification-preferences"] as const,
  followableCatalogs: () => [...profileKeys.all, "followable-catalogs"] as const,
};
