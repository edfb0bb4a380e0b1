/** Query keys of the points feature; everything of one control sits under `control(id)`, to refresh it at once. */
export const pointKeys = {
  all: ["points"] as const,
  control: (controlId: string) => [...pointKeys.all, "control", controlId] as const,
  controlTimeline: (controlId: string) => [...pointKeys.control(controlId), "timeline"] as const,
  chainVerification: (controlId: string) => [...pointKeys.control(controlId), "verification"] as const,
};
