/** Provider settings: `partnercenter:*` config and environment, resolved and validated in one place. */
export * from "./providerSettings";
