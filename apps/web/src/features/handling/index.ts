// The handling feature's public entry: what other features (the overview, the computation history) may place.
export { HandlingBadge } from "./components/handling-badge.tsx";
