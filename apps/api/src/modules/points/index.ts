export { appendPoints, findEnginePointOfWindow, lockChainHeads, type PointInput } from "./point-chain.service.ts";
export { CURRENT_HASH_SCHEME, isPointHashIntact, pointHash, type HashablePoint } from "./point-hash.ts";
export { pointRoutes } from "./points.routes.ts";
export { verifyPointChain } from "./chain-verification.service.ts";
export { countPointResults, listAllPoints, listWindowStartsWithPoints } from "./points.service.ts";
