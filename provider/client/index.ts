/**
 * The Partner Center client: a typed got + zod client for the REST operations the resources need. It knows
 * nothing of Pulumi.
 */
export {
  DEFAULT_PAGE_SIZE,
  type DomainAvailability,
  type ListCustomersOptions,
  type Page,
  PartnerCenterClient,
  type UpdateBillingProfileOptions,
} from "./partnerCenterClient";
