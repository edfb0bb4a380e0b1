export { appendPoints, findEnginePointOfWindow, lockChainHeads, type PointInput } from "./point-chain.service.ts";
export { CURRENT_HASH_SCHEME, isPointHashIntact, pointHash, type HashablePoint } from "./point-hash.ts";
export { pointRoutes } from "./points.routes.ts";
export { countPointResults, listAllPoints, listWindowStartsWithPoints, verifyPointChain } from "./points.service.ts";
