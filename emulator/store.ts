/**
 * In-memory state of the emulated partner: its customers, their agreements, enhanced attestations, GDAP relationships
 * (with their requests, access assignments and operations), and domains taken elsewhere.
 * Handlers read and write plain objects here; persistence is the state file's job ({@link createStateFileWriter}).
 */
import type {
  Agreement,
  Attestation,
  Customer,
  GdapAccessAssignment,
  GdapOperation,
  GdapRelationship,
  GdapRelationshipRequest,
} from "./model";

/** The GDAP side of the state (Microsoft Graph's `delegatedAdminRelationships`), each list in creation order. */
export interface GdapState {
  relationships: GdapRelationship[];
  requests: GdapRelationshipRequest[];
  accessAssignments: GdapAccessAssignment[];
  operations: GdapOperation[];
}

/** What `handle.state()` returns: deep copies, safe to keep and compare. */
export interface EmulatorState {
  /** Customers visible to the partner, in creation order (no passwords). */
  customers: Customer[];
  /** Agreement confirmations, each with the id of its customer. */
  agreements: Array<Agreement & { customerId: string }>;
  /** Enhanced MCA attestations, in creation order. */
  attestations: Attestation[];
  /** GDAP relationships and what hangs off them, as stored (bookkeeping fields included). */
  gdap: GdapState;
}

/** The store. */
export interface Store {
  /** Customers in creation order (live objects: do not hand them out unserialized). */
  listCustomers(): Customer[];
  /** The live customer object, or undefined. */
  getCustomer(id: string): Customer | undefined;
  /** Adds a customer at the end of the list. */
  addCustomer(customer: Customer): void;
  /** Replaces a stored customer in place (same id, same list position), re-indexing its domain. */
  replaceCustomer(customer: Customer): void;
  /** Removes a customer and its agreements; `retainDomain` keeps its domain taken (the tenant lives on). */
  removeCustomer(id: string, retainDomain: boolean): boolean;
  /** Whether a domain (any case) belongs to any tenant: a customer, a retained domain or an external one. */
  isDomainTaken(domain: string): boolean;
  /** Marks a domain as taken by a tenant outside the partner's view. */
  addTakenDomain(domain: string): void;
  /** The customer's agreements (live array; empty if none). */
  listAgreements(customerId: string): Agreement[];
  /** Records an agreement confirmation. */
  addAgreement(customerId: string, agreement: Agreement): void;
  /** The live attestation (any case of its id), or undefined. */
  getAttestation(id: string): Attestation | undefined;
  /** Records an attestation. */
  addAttestation(attestation: Attestation): void;
  /** GDAP relationships in creation order (live objects). */
  listRelationships(): GdapRelationship[];
  /** The live relationship (any case of its id), or undefined. */
  getRelationship(id: string): GdapRelationship | undefined;
  /** Adds a relationship at the end of the list. */
  addRelationship(relationship: GdapRelationship): void;
  /** Removes a relationship with its requests, access assignments and operations. Returns whether it existed. */
  removeRelationship(id: string): boolean;
  /** The requests of a relationship, oldest first (live objects). */
  listRelationshipRequests(relationshipId: string): GdapRelationshipRequest[];
  /** Records a request. */
  addRelationshipRequest(request: GdapRelationshipRequest): void;
  /** The access assignments of a relationship, oldest first (live objects). */
  listAccessAssignments(relationshipId: string): GdapAccessAssignment[];
  /** The live access assignment of a relationship (any case of either id), or undefined. */
  getAccessAssignment(relationshipId: string, id: string): GdapAccessAssignment | undefined;
  /** Adds an access assignment. */
  addAccessAssignment(assignment: GdapAccessAssignment): void;
  /** Removes one access assignment; returns whether it existed. */
  removeAccessAssignment(relationshipId: string, id: string): boolean;
  /** Removes every access assignment of a relationship (its access ended). */
  removeAccessAssignments(relationshipId: string): void;
  /** The operations of a relationship, oldest first (live objects). */
  listOperations(relationshipId: string): GdapOperation[];
  /** Records an operation. */
  addOperation(operation: GdapOperation): void;
  /** Deep copy for `handle.state()`. */
  state(): EmulatorState;
  /** Data for the state file. */
  snapshot(): {
    customers: Customer[];
    agreements: Record<string, Agreement[]>;
    retainedDomains: string[];
    attestations: Attestation[];
    gdap: GdapState;
  };
  /** Empties the store, keeping only the domains given at start-up as taken. */
  clear(): void;
}

/** Inputs of {@link createStore}. */
export interface StoreInit {
  /** Persisted data to start from. */
  customers?: Customer[];
  agreements?: Record<string, Agreement[]>;
  retainedDomains?: string[];
  attestations?: Attestation[];
  gdap?: Partial<GdapState>;
  /** Domains that exist elsewhere in Entra (HEAD /domains answers 200); survive `clear()`. */
  externalDomains?: readonly string[];
}

/** Creates the store. */
export function createStore(init: StoreInit = {}): Store {
  // Map iteration order is insertion order, which is the creation order paging relies on.
  const customers = new Map<string, Customer>();
  const agreements = new Map<string, Agreement[]>();
  const attestations = new Map<string, Attestation>();
  /** Relationships by lower-cased id; requests, assignments and operations in arrays (few, scanned per relationship). */
  const relationships = new Map<string, GdapRelationship>();
  let requests: GdapRelationshipRequest[] = [];
  let assignments: GdapAccessAssignment[] = [];
  let operations: GdapOperation[] = [];
  const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  /** Lower-cased domain → owning customer id, or "" for a tenant outside the partner's view. */
  const domains = new Map<string, string>();
  const external = (init.externalDomains ?? []).map((domain) => domain.toLowerCase());

  function load(): void {
    for (const domain of external) domains.set(domain, "");
    for (const domain of init.retainedDomains ?? []) domains.set(domain.toLowerCase(), "");
    for (const customer of init.customers ?? []) {
      customers.set(customer.id, customer);
      domains.set(customer.companyProfile.domain.toLowerCase(), customer.id);
    }
    for (const [id, list] of Object.entries(init.agreements ?? {})) agreements.set(id, list);
    for (const attestation of init.attestations ?? []) attestations.set(attestation.id, attestation);
    for (const relationship of init.gdap?.relationships ?? [])
      relationships.set(relationship.id.toLowerCase(), relationship);
    requests = [...(init.gdap?.requests ?? [])];
    assignments = [...(init.gdap?.accessAssignments ?? [])];
    operations = [...(init.gdap?.operations ?? [])];
  }

  function gdapState(): GdapState {
    return { relationships: [...relationships.values()], requests, accessAssignments: assignments, operations };
  }
  load();

  /** Frees a domain, unless it also exists outside the partner's view. */
  function releaseDomain(domain: string): void {
    const key = domain.toLowerCase();
    if (external.includes(key)) domains.set(key, "");
    else domains.delete(key);
  }

  return {
    listCustomers: () => [...customers.values()],
    getCustomer: (id) => customers.get(id.toLowerCase()),
    addCustomer(customer) {
      customers.set(customer.id, customer);
      domains.set(customer.companyProfile.domain.toLowerCase(), customer.id);
    },
    replaceCustomer(customer) {
      const previous = customers.get(customer.id);
      if (previous) releaseDomain(previous.companyProfile.domain);
      customers.set(customer.id, customer);
      domains.set(customer.companyProfile.domain.toLowerCase(), customer.id);
    },
    removeCustomer(id, retainDomain) {
      const customer = customers.get(id.toLowerCase());
      if (!customer) return false;
      customers.delete(customer.id);
      agreements.delete(customer.id);
      if (retainDomain) domains.set(customer.companyProfile.domain.toLowerCase(), "");
      else releaseDomain(customer.companyProfile.domain);
      return true;
    },
    isDomainTaken: (domain) => domains.has(domain.toLowerCase()),
    addTakenDomain(domain) {
      if (!domains.has(domain.toLowerCase())) domains.set(domain.toLowerCase(), "");
    },
    listAgreements: (customerId) => agreements.get(customerId.toLowerCase()) ?? [],
    addAgreement(customerId, agreement) {
      const id = customerId.toLowerCase();
      const list = agreements.get(id);
      if (list) list.push(agreement);
      else agreements.set(id, [agreement]);
    },
    getAttestation: (id) => attestations.get(id.toLowerCase()),
    addAttestation(attestation) {
      attestations.set(attestation.id.toLowerCase(), attestation);
    },
    listRelationships: () => [...relationships.values()],
    getRelationship: (id) => relationships.get(id.toLowerCase()),
    addRelationship(relationship) {
      relationships.set(relationship.id.toLowerCase(), relationship);
    },
    removeRelationship(id) {
      const relationship = relationships.get(id.toLowerCase());
      if (!relationship) return false;
      relationships.delete(id.toLowerCase());
      requests = requests.filter((request) => !sameId(request.relationshipId, relationship.id));
      assignments = assignments.filter((assignment) => !sameId(assignment.relationshipId, relationship.id));
      operations = operations.filter((operation) => !sameId(operation.relationshipId, relationship.id));
      return true;
    },
    listRelationshipRequests: (relationshipId) =>
      requests.filter((request) => sameId(request.relationshipId, relationshipId)),
    addRelationshipRequest(request) {
      requests.push(request);
    },
    listAccessAssignments: (relationshipId) =>
      assignments.filter((assignment) => sameId(assignment.relationshipId, relationshipId)),
    getAccessAssignment: (relationshipId, id) =>
      assignments.find((assignment) => sameId(assignment.relationshipId, relationshipId) && sameId(assignment.id, id)),
    addAccessAssignment(assignment) {
      assignments.push(assignment);
    },
    removeAccessAssignment(relationshipId, id) {
      const before = assignments.length;
      assignments = assignments.filter(
        (assignment) => !(sameId(assignment.relationshipId, relationshipId) && sameId(assignment.id, id)),
      );
      return assignments.length < before;
    },
    removeAccessAssignments(relationshipId) {
      assignments = assignments.filter((assignment) => !sameId(assignment.relationshipId, relationshipId));
    },
    listOperations: (relationshipId) =>
      operations.filter((operation) => sameId(operation.relationshipId, relationshipId)),
    addOperation(operation) {
      operations.push(operation);
    },
    state() {
      return structuredClone({
        attestations: [...attestations.values()],
        gdap: gdapState(),
        customers: [...customers.values()],
        agreements: [...agreements.entries()].flatMap(([customerId, list]) =>
          list.map((agreement) => ({ ...agreement, customerId })),
        ),
      });
    },
    snapshot() {
      const retainedDomains = [...domains.entries()]
        .filter(([domain, owner]) => owner === "" && !external.includes(domain))
        .map(([domain]) => domain);
      return {
        customers: [...customers.values()],
        agreements: Object.fromEntries(agreements),
        retainedDomains,
        attestations: [...attestations.values()],
        gdap: gdapState(),
      };
    },
    clear() {
      customers.clear();
      agreements.clear();
      attestations.clear();
      relationships.clear();
      requests = [];
      assignments = [];
      operations = [];
      domains.clear();
      for (const domain of external) domains.set(domain, "");
    },
  };
}
