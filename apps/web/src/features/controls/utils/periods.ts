import type { Period } from "@status/shared";

export const PERIOD_LABELS: Record<Period, string> = {
  HOURLY: "Hourly",
  DAILY: "Daily",
  WEEKLY: "Weekly",
  MONTHLY: "Monthly",
  ANNUALLY: "Annually",
};
