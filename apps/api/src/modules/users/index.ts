export { hashPassword, verifyPassword } from "./passwords.ts";
export {
  createOidcAccount,
  findAccountByEmail,
  findAccountByGithubId,
  findAccountByOidcSubject,
  findAccountById,
  findAccountByUsername,
  linkGithubAccount,
  linkOidcAccount,
  recordLogin,
  setAccountRole,
  storePasswordHash,
  unlinkGithubAccount,
  type UserRecord,
} from "./user-accounts.service.ts";
export { userRoutes } from "./users.routes.ts";
export { createUser, ensureInitialAdmin, findFirstAdmin, getUser } from "./users.service.ts";
export { resetUserPassword } from "./password-reset.service.ts";
