// The deployment tests read the compose files as `npm run doctor` does: one implementation, in src/doctor.
export {
  COMPOSE_BASE_FILE,
  COMPOSE_FILES,
  interpolatedVariables,
  mergeExtendedService,
  readCompose,
  readRepoFile,
  REPO_ROOT,
  resolveExtends,
  serviceNetworks,
  type ComposeFile,
  type ComposeService,
  type ComposeSource,
  type ReadComposeOptions,
  type ResolvedCompose,
} from "../src/doctor/compose-files.ts";
