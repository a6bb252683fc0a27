// The smallest real Pulumi program: one dynamic resource whose provider returns a secret output. It proves the
// CLI, the Node language host and the dynamic-provider host work together before the real resources exist.
import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `smoke-${inputs.label}`, outs: { ...inputs, token: `token-for-${inputs.label}` } };
  },
  async diff(_id, olds, news) {
    return { changes: olds.label !== news.label, replaces: olds.label !== news.label ? ["label"] : [] };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

class Smoke extends pulumi.dynamic.Resource {
  declare readonly token: pulumi.Output<string>;
  constructor(name: string, label: string, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { label, token: undefined },
      { ...opts, additionalSecretOutputs: ["token"] },
      "smoke",
      "Smoke",
    );
  }
}

const config = new pulumi.Config();
const smoke = new Smoke("smoke", config.get("label") ?? "one");
export const token = smoke.token;
export const id = smoke.id;
