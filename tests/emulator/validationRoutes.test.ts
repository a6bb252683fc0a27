import assert from "node:assert/strict";
import { emulatorRequest, getAppToken, getUserToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

describe("emulator: validation routes", () => {
  const emulator = useEmulator({
    takenDomains: ["microsoft.onmicrosoft.com"],
    invalidAddresses: [
      { addressLine1: "1 Nowhere Street" },
      { addressLine1: "500 Partial Ave", status: "StreetPartial", validationMessage: "Street is incomplete." },
    ],
  });

  describe("HEAD /v1/domains/{domain}", () => {
    it("answers 200 for a taken domain and 404 for a free one, both without a body", async () => {
      const token = await getAppToken(emulator());
      const taken = await emulatorRequest(emulator(), "HEAD", "/v1/domains/Microsoft.onmicrosoft.com", { token });
      assert.equal(taken.status, 200);
      assert.equal(taken.text, "");
      const free = await emulatorRequest(emulator(), "HEAD", "/v1/domains/surelyfree123.onmicrosoft.com", { token });
      assert.equal(free.status, 404);
      assert.equal(free.text, "");
    });

    it("sees domains of customers created through the API", async () => {
      const token = await getAppToken(emulator());
      const body = usCustomerBody();
      const path = `/v1/domains/${body.companyProfile.domain}`;
      assert.equal((await emulatorRequest(emulator(), "HEAD", path, { token })).status, 404);
      await emulatorRequest(emulator(), "POST", "/v1/customers", { token, json: body });
      assert.equal((await emulatorRequest(emulator(), "HEAD", path, { token })).status, 200);
    });

    it("domains added at run time are taken", async () => {
      emulator().addTakenDomain("fabrikam.onmicrosoft.com");
      const response = await emulatorRequest(emulator(), "HEAD", "/v1/domains/fabrikam.onmicrosoft.com", {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 200);
    });
  });

  describe("POST /v1/validations/address", () => {
    const valid = {
      addressLine1: "One Microsoft Way",
      city: "Redmond",
      state: "wa",
      postalCode: "98052",
      country: "us",
    };

    it("answers VerifiedShippable with one suggestion for a good address (PascalCase request)", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/validations/address", {
        token: await getAppToken(emulator()),
        json: {
          AddressLine1: valid.addressLine1,
          City: valid.city,
          State: valid.state,
          PostalCode: valid.postalCode,
          Country: valid.country,
        },
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.status, "VerifiedShippable");
      assert.deepEqual(response.body.originalAddress, valid);
      assert.equal(response.body.suggestedAddresses.length, 1);
      assert.equal(response.body.suggestedAddresses[0].state, "WA");
      assert.equal(response.body.suggestedAddresses[0].country, "US");
    });

    it("answers None without suggestions for a configured invalid address", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/validations/address", {
        token: await getUserToken(emulator()),
        json: { ...valid, addressLine1: "1 Nowhere Street" },
      });
      assert.equal(response.body.status, "None");
      assert.deepEqual(response.body.suggestedAddresses, []);
      assert.equal(typeof response.body.validationMessage, "string");
    });

    it("answers the configured status and message", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/validations/address", {
        token: await getAppToken(emulator()),
        json: { ...valid, addressLine1: "500 Partial Ave" },
      });
      assert.equal(response.body.status, "StreetPartial");
      assert.equal(response.body.validationMessage, "Street is incomplete.");
      assert.equal(response.body.suggestedAddresses.length, 1);
    });

    it("answers None for a bad postal code, a missing state or an unknown country", async () => {
      const token = await getAppToken(emulator());
      for (const address of [
        { ...valid, postalCode: "9805" },
        { ...valid, state: undefined },
        { ...valid, country: "UK" },
      ]) {
        const response = await emulatorRequest(emulator(), "POST", "/v1/validations/address", { token, json: address });
        assert.equal(response.status, 200);
        assert.equal(response.body.status, "None", JSON.stringify(address));
      }
    });
  });

  describe("GET /v1/countryvalidationrules/{iso2}", () => {
    const expectations: Record<string, { stateRequired: boolean; postal: string; bad: string; culture: string }> = {
      US: { stateRequired: true, postal: "98052", bad: "980", culture: "en-US" },
      GB: { stateRequired: false, postal: "SW1A 2AA", bad: "12345", culture: "en-GB" },
      DE: { stateRequired: false, postal: "10117", bad: "1011", culture: "de-DE" },
      FR: { stateRequired: false, postal: "75001", bad: "7500", culture: "fr-FR" },
      BR: { stateRequired: true, postal: "01310-100", bad: "0131", culture: "pt-BR" },
      IN: { stateRequired: true, postal: "110001", bad: "11000", culture: "en-IN" },
      PL: { stateRequired: false, postal: "00-624", bad: "00624", culture: "pl-PL" },
      RU: { stateRequired: false, postal: "125009", bad: "12500", culture: "ru-RU" },
      AU: { stateRequired: true, postal: "2000", bad: "200", culture: "en-AU" },
      JP: { stateRequired: false, postal: "100-0001", bad: "100", culture: "ja-JP" },
      CA: { stateRequired: true, postal: "K1A 0B1", bad: "12345", culture: "en-CA" },
    };
    for (const [iso2, expected] of Object.entries(expectations)) {
      it(`serves realistic rules for ${iso2}`, async () => {
        const response = await emulatorRequest(emulator(), "GET", `/v1/countryvalidationrules/${iso2}`, {
          token: await getAppToken(emulator()),
        });
        assert.equal(response.status, 200);
        const rules = response.body;
        assert.equal(rules.iso2Code, iso2);
        assert.equal(rules.defaultCulture, expected.culture);
        assert.equal(rules.isStateRequired, expected.stateRequired);
        if (expected.stateRequired) assert.ok(rules.supportedStatesList.length > 0);
        assert.ok(new RegExp(rules.postalCodeRegex).test(expected.postal), `${iso2} accepts ${expected.postal}`);
        assert.ok(!new RegExp(rules.postalCodeRegex).test(expected.bad), `${iso2} refuses ${expected.bad}`);
        assert.equal(typeof rules.phoneNumberRegex, "string");
        assert.ok(rules.countryCallingCodesList.length > 0);
        assert.ok(rules.supportedCulturesList.includes(expected.culture));
        for (const key of [
          "isPostalCodeRequired",
          "isCityRequired",
          "isVatIdSupported",
          "isTaxIdSupported",
          "isTaxIdOptional",
        ]) {
          assert.equal(typeof rules[key], "boolean", key);
        }
      });
    }

    it("accepts lower-case codes", async () => {
      const response = await emulatorRequest(emulator(), "GET", "/v1/countryvalidationrules/gb", {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.body.iso2Code, "GB");
    });

    it("fails for UK as Partner Center does (the ISO code is GB)", async () => {
      const response = await emulatorRequest(emulator(), "GET", "/v1/countryvalidationrules/UK", {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 404);
      assert.equal(response.body.description, "No validation rules were found for the country/region UK.");
    });
  });
});
