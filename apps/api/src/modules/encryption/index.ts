export { KeyRotationError, rotateEncryptionKey, type ColumnRotation } from "./rotate-encryption-key.service.ts";
