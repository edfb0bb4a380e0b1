export { appendPoints, lockChainHeads, type PointInput } from "./point-chain.service.ts";
export { pointRoutes } from "./points.routes.ts";
export { listAllPoints, listWindowStartsWithPoints } from "./points.service.ts";
