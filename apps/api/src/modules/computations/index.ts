export { computationRoutes } from "./computations.routes.ts";
export { findComputationDigests, getComputationDetail, listControlComputations } from "./computations.service.ts";
