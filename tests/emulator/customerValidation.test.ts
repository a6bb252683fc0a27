import assert from "node:assert/strict";
import { emulatorRequest, getAppToken, getUserToken, type LooseJson, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

/** A customer body for a given country and address, everything else valid. */
function bodyFor(address: Record<string, string>, registration?: string): Record<string, LooseJson> {
  const body = usCustomerBody("val");
  body.billingProfile.defaultAddress = { firstName: "Ada", lastName: "Ng", ...address };
  if (registration !== undefined) body.companyProfile.organizationRegistrationNumber = registration;
  return body;
}

const RU_ADDRESS = { addressLine1: "ul. Tverskaya 7", city: "Moscow", postalCode: "125009", country: "RU" };
const BR_ADDRESS = {
  addressLine1: "Av. Paulista 1000",
  city: "Sao Paulo",
  state: "SP",
  postalCode: "01310-100",
  country: "BR",
};
const PL_ADDRESS = { addressLine1: "ul. Marszalkowska 1", city: "Warszawa", postalCode: "00-624", country: "PL" };
const DE_ADDRESS = { addressLine1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", country: "DE" };

describe("emulator: create-customer validation", () => {
  const emulator = useEmulator({
    takenDomains: ["contoso.onmicrosoft.com"],
    invalidAddresses: [{ addressLine1: "1 Nowhere Street", country: "US" }],
  });

  async function create(body: unknown, token?: string) {
    return emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: token ?? (await getAppToken(emulator())),
      json: body,
    });
  }

  /** Asserts a Partner Center error and that nothing was created. */
  function assertRejected(response: { status: number; body: LooseJson }, status: number, code: number): void {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.equal(response.body.code, code);
    assert.equal(typeof response.body.description, "string");
    assert.ok(Array.isArray(response.body.data));
    assert.equal(response.body.source, "PartnerFD");
    assert.equal(emulator().state().customers.length, 0);
  }

  describe("required fields", () => {
    const cases: Array<[string, (body: Record<string, LooseJson>) => void, string]> = [
      ["companyProfile", (body) => delete body.companyProfile, "companyProfile"],
      ["companyProfile.domain", (body) => delete body.companyProfile.domain, "companyProfile.domain"],
      ["billingProfile", (body) => delete body.billingProfile, "billingProfile"],
      ["billingProfile.email", (body) => delete body.billingProfile.email, "billingProfile.email"],
      ["billingProfile.culture", (body) => delete body.billingProfile.culture, "billingProfile.culture"],
      ["billingProfile.language", (body) => delete body.billingProfile.language, "billingProfile.language"],
      ["billingProfile.companyName", (body) => delete body.billingProfile.companyName, "billingProfile.companyName"],
      [
        "billingProfile.defaultAddress",
        (body) => delete body.billingProfile.defaultAddress,
        "billingProfile.defaultAddress",
      ],
      [
        "defaultAddress.addressLine1",
        (body) => delete body.billingProfile.defaultAddress.addressLine1,
        "billingProfile.defaultAddress.addressLine1",
      ],
      [
        "defaultAddress.country",
        (body) => delete body.billingProfile.defaultAddress.country,
        "billingProfile.defaultAddress.country",
      ],
    ];
    for (const [name, mutate, path] of cases) {
      it(`rejects a body without ${name} (400, 3000, data names the path)`, async () => {
        const body = usCustomerBody();
        mutate(body);
        const response = await create(body);
        assertRejected(response, 400, 3000);
        assert.deepEqual(response.body.data, [path]);
      });
    }

    it("rejects a body that is not JSON (400, 800002)", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token: await getAppToken(emulator()),
        raw: { contentType: "application/json", body: "{not json" },
      });
      assertRejected(response, 400, 800002);
    });

    it("rejects a malformed e-mail and an unsupported culture", async () => {
      const badEmail = usCustomerBody();
      badEmail.billingProfile.email = "not-an-email";
      assertRejected(await create(badEmail), 400, 3000);
      const badCulture = usCustomerBody();
      badCulture.billingProfile.culture = "english";
      assertRejected(await create(badCulture), 400, 3000);
    });
  });

  describe("property-name casing", () => {
    it("accepts PascalCase, camelCase and snake_case names alike", async () => {
      const body = {
        CompanyProfile: { DOMAIN: "casingtest.onmicrosoft.com" },
        billing_profile: {
          EMAIL: "a@b.example",
          Culture: "en-us",
          language: "EN",
          company_name: "Casing Ltd",
          default_address: {
            AddressLine1: "One Microsoft Way",
            CITY: "Redmond",
            State: "wa",
            postal_code: "98052",
            Country: "us",
          },
        },
      };
      const response = await create(body);
      assert.equal(response.status, 201, JSON.stringify(response.body));
      assert.equal(response.body.companyProfile.domain, "casingtest.onmicrosoft.com");
      assert.equal(response.body.billingProfile.companyName, "Casing Ltd");
      assert.equal(response.body.billingProfile.culture, "en-US");
    });
  });

  describe("organization registration number and phone by country", () => {
    it("requires the registration number in RU (600049)", async () => {
      const response = await create(bodyFor({ ...RU_ADDRESS, phoneNumber: "+7 495 123 45 67" }));
      assertRejected(response, 400, 600049);
      assert.deepEqual(response.body.data, ["companyProfile.organizationRegistrationNumber"]);
    });

    it("requires the registration number in BR (600049), as the field report says", async () => {
      assertRejected(await create(bodyFor({ ...BR_ADDRESS, phoneNumber: "+55 11 3333 4444" })), 400, 600049);
    });

    it("rejects a badly formatted registration number with the expected regex (600050)", async () => {
      const response = await create(bodyFor({ ...RU_ADDRESS, phoneNumber: "+7 495 123 45 67" }, "12345"));
      assertRejected(response, 400, 600050);
      assert.ok(response.body.description.includes("^(\\d{10}|\\d{12})$"), response.body.description);
      assert.ok(response.body.data.includes("^(\\d{10}|\\d{12})$"));
    });

    it("rejects a registration number for a country that does not support it (600002)", async () => {
      assertRejected(await create(bodyFor(DE_ADDRESS, "HRB 12345")), 400, 600002);
      assertRejected(
        await create(
          bodyFor(
            { addressLine1: "One Microsoft Way", city: "Redmond", state: "WA", postalCode: "98052", country: "US" },
            "123",
          ),
        ),
        400,
        600002,
      );
    });

    it("requires a phone number where the registration number is required (600051)", async () => {
      const response = await create(bodyFor(PL_ADDRESS, "5260250995"));
      assertRejected(response, 400, 600051);
      assert.deepEqual(response.body.data, ["billingProfile.defaultAddress.phoneNumber"]);
    });

    it("rejects a phone number that does not match the country's pattern (3000)", async () => {
      const response = await create(bodyFor({ ...PL_ADDRESS, phoneNumber: "call me maybe" }, "5260250995"));
      assertRejected(response, 400, 3000);
      assert.deepEqual(response.body.data, ["billingProfile.defaultAddress.phoneNumber"]);
    });

    it("creates RU, BR and PL customers with valid numbers and phones, and DE without either", async () => {
      for (const body of [
        bodyFor({ ...RU_ADDRESS, phoneNumber: "+7 495 123 45 67" }, "7707083893"),
        bodyFor({ ...BR_ADDRESS, phoneNumber: "+55 11 3333 4444" }, "12.345.678/0001-95"),
        bodyFor({ ...PL_ADDRESS, phoneNumber: "+48 22 123 45 67" }, "5260250995"),
        bodyFor(DE_ADDRESS),
      ]) {
        body.companyProfile.domain = `ok${Math.random().toString(36).slice(2, 10)}.onmicrosoft.com`;
        const response = await create(body);
        assert.equal(response.status, 201, JSON.stringify(response.body));
      }
      const ru = emulator().state().customers[0];
      assert.equal(ru?.companyProfile.organizationRegistrationNumber, "7707083893");
    });
  });

  describe("domain", () => {
    for (const domain of [
      "contoso.com",
      "con-toso.onmicrosoft.com",
      "abcdefghijklmnopqrstuvwxyz12.onmicrosoft.com",
      ".onmicrosoft.com",
      "contoso",
    ]) {
      it(`rejects the malformed domain ${JSON.stringify(domain)} (400, 3000)`, async () => {
        const body = usCustomerBody();
        body.companyProfile.domain = domain;
        const response = await create(body);
        assertRejected(response, 400, 3000);
        assert.deepEqual(response.body.data, ["companyProfile.domain"]);
      });
    }

    it("accepts a 27-character prefix", async () => {
      const body = usCustomerBody();
      body.companyProfile.domain = "abcdefghijklmnopqrstuvwxyz1.onmicrosoft.com";
      assert.equal((await create(body)).status, 201);
    });

    it("rejects a domain taken by another customer, in any case (409)", async () => {
      const body = usCustomerBody();
      assert.equal((await create(body)).status, 201);
      const again = usCustomerBody();
      again.companyProfile.domain = body.companyProfile.domain.toUpperCase();
      const response = await create(again);
      assert.equal(response.status, 409);
      assert.equal(response.body.code, 3000);
      assert.deepEqual(response.body.data, ["companyProfile.domain"]);
      assert.equal(emulator().state().customers.length, 1);
    });

    it("rejects a domain that exists elsewhere in Entra (409)", async () => {
      const body = usCustomerBody();
      body.companyProfile.domain = "Contoso.onmicrosoft.com";
      assertRejected(await create(body), 409, 3000);
    });
  });

  describe("address", () => {
    it("rejects an address that address validation calls invalid (400, 2007)", async () => {
      const body = usCustomerBody();
      body.billingProfile.defaultAddress.addressLine1 = "1 nowhere street";
      const response = await create(body);
      assertRejected(response, 400, 2007);
      assert.deepEqual(response.body.data, ["billingProfile.defaultAddress"]);
    });

    it("rejects a US address without a state or with an unknown one (2007)", async () => {
      const noState = usCustomerBody();
      delete noState.billingProfile.defaultAddress.state;
      assertRejected(await create(noState), 400, 2007);
      const badState = usCustomerBody();
      badState.billingProfile.defaultAddress.state = "XX";
      assertRejected(await create(badState), 400, 2007);
    });

    it("rejects a postal code that does not match the country's pattern (2007)", async () => {
      const body = usCustomerBody();
      body.billingProfile.defaultAddress.postalCode = "ABCDE";
      assertRejected(await create(body), 400, 2007);
    });

    it("rejects the country code UK, which is not an ISO code (3000)", async () => {
      const body = bodyFor({
        addressLine1: "10 Downing Street",
        city: "London",
        postalCode: "SW1A 2AA",
        country: "UK",
      });
      assertRejected(await create(body), 400, 3000);
    });

    it("rejects an address line longer than 200 characters (3000)", async () => {
      const body = usCustomerBody();
      body.billingProfile.defaultAddress.addressLine1 = "x".repeat(201);
      assertRejected(await create(body), 400, 3000);
    });

    it("lets tests mark more addresses invalid at run time", async () => {
      emulator().markAddressInvalid({ postalCode: "98052", status: "StreetPartial" });
      assertRejected(await create(usCustomerBody()), 400, 2007);
    });
  });

  describe("associatedPartnerId", () => {
    it("must be a GUID (400, 3000)", async () => {
      const body = usCustomerBody();
      body.associatedPartnerId = "reseller-1";
      const response = await create(body, await getUserToken(emulator()));
      assertRejected(response, 400, 3000);
      assert.deepEqual(response.body.data, ["associatedPartnerId"]);
    });
  });
});
