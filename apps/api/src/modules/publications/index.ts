export { requestPublication, requestPublicationOfCatalogsUsingScope } from "./publication-outbox.ts";
export {
  claimDuePublications,
  enrollUnpublishedCatalogs,
  findPublication,
  listSyncablePublications,
  markPublicationDue,
  markPublished,
  markPublishFailed,
  recordSync,
  type PublicationRow,
} from "./publications.service.ts";
