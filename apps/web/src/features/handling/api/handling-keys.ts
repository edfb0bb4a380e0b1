/** Query keys of the handling feature (owners, watchers, comments, acknowledgements, exceptions, My controls). */
export const handlingKeys = {
  all: ["handling"] as const,
  people: (q: string) => [...handlingKeys.all, "people", q] as const,
  myControls: () => [...handlingKeys.all, "my-controls"] as const,
  control: (controlId: string) => [...handlingKeys.all, "control", controlId] as const,
  exceptions: (controlId: string) => [...handlingKeys.control(controlId), "exceptions"] as const,
  failingPoints: (controlId: string) => [...handlingKeys.control(controlId), "failing-points"] as const,
  comments: (pointId: string) => [...handlingKeys.all, "comments", pointId] as const,
};
