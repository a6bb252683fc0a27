// The upgrade fixture's TypeScript program: the GitOps program (program/index.ts) of the release that made the
// fixture, over the package as users install it (`pulumi-partnercenter`). scripts/make-upgrade-fixture.sh copies it,
// with customers.yaml, into tests/upgrade/fixtures/v<version>/dynamic/ next to the state it produced; the upgrade
// tests run that copy, unchanged, against every later version of the package.
import { isAbsolute } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadCustomersFile, provisionCustomers } from "pulumi-partnercenter";

const config = new pulumi.Config("partnercenter");
// Under runtime mocks (tests/upgrade/support/recordProgram.ts) the reported root is a placeholder: this directory.
const reportedRoot = pulumi.getRootDirectory();
const projectRoot = isAbsolute(reportedRoot) ? reportedRoot : __dirname;

const specs = loadCustomersFile(config.get("customersFile") ?? "customers.yaml", { baseDirectory: projectRoot });

export const customers = provisionCustomers(specs, { protectCustomers: true });
