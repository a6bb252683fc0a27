// The GitOps program: customers described in customers.yaml become PartnerCustomer (and CustomerAgreement)
// resources. Filled in by the GitOps issue; until then it provisions nothing.
export {};
