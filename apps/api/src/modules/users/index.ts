export { hashPassword, verifyPassword } from "./passwords.ts";
export {
  findAccountByGithubId,
  findAccountById,
  findAccountByUsername,
  linkGithubAccount,
  recordLogin,
  storePasswordHash,
  type UserRecord,
} from "./user-accounts.service.ts";
export { userRoutes } from "./users.routes.ts";
export { createUser, ensureInitialAdmin, findFirstAdmin, getUser } from "./users.service.ts";
