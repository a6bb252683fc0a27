/**
 * Market rules the emulator validates against and serves from `GET /v1/countryvalidationrules/{iso2}`.
 *
 * The field names are the wire names of the SDK's `CountryValidationRules` model (`partner-center-api.md` §4.3).
 * Detailed, realistic rules exist for the markets tests use most (US, GB, DE, FR, BR, IN, PL, RU, AU, JP, CA); every
 * other ISO 3166-1 alpha-2 code gets permissive generic rules. `UK` is not an ISO code and fails, as it does on
 * Partner Center ("No validation rules were found for the country/region UK").
 */

/** One market's validation rules, as `GET /v1/countryvalidationrules/{iso2}` returns them. */
export interface CountryValidationRules {
  iso2Code: string;
  defaultCulture: string;
  isStateRequired: boolean;
  supportedStatesList: string[];
  supportedLanguagesList: string[];
  supportedCulturesList: string[];
  isPostalCodeRequired: boolean;
  postalCodeRegex: string;
  isCityRequired: boolean;
  isVatIdSupported: boolean;
  taxIdFormat: string;
  taxIdSample: string;
  vatIdRegex: string;
  phoneNumberRegex: string;
  isTaxIdSupported: boolean;
  isTaxIdOptional: boolean;
  countryCallingCodesList: string[];
  attributes: { objectType: "CountryValidationRules" };
}

/**
 * Countries whose customers must give `companyProfile.organizationRegistrationNumber` and a billing phone number
 * (customer-resources, create-a-customer, utility-resources), mapped to the format the emulator enforces (600050).
 * The formats are the emulator's realistic picks (INN, CNPJ, NIP, …); Partner Center publishes none of them. CN is
 * listed because the current create-customer pages add China to the list.
 */
export const REGISTRATION_NUMBER_FORMATS: Readonly<Record<string, string>> = {
  AM: "^\\d{8}$",
  AZ: "^\\d{10}$",
  BY: "^\\d{9}$",
  HU: "^\\d{8}(-?\\d-?\\d{2})?$",
  KZ: "^\\d{12}$",
  KG: "^\\d{14}$",
  MD: "^\\d{13}$",
  RU: "^(\\d{10}|\\d{12})$",
  TJ: "^\\d{9}$",
  UZ: "^\\d{9}$",
  UA: "^(\\d{8}|\\d{10})$",
  IN: "^[A-Za-z0-9]{10,21}$",
  BR: "^\\d{2}\\.?\\d{3}\\.?\\d{3}/?\\d{4}-?\\d{2}$",
  ZA: "^\\d{4}/\\d{6}/\\d{2}$",
  PL: "^\\d{10}$",
  AE: "^\\d{15}$",
  SA: "^\\d{10}$",
  TR: "^\\d{10,11}$",
  TH: "^\\d{13}$",
  VN: "^\\d{10}(-\\d{3})?$",
  MM: "^[A-Za-z0-9\\-/]{1,50}$",
  IQ: "^[A-Za-z0-9\\-/]{1,50}$",
  SS: "^[A-Za-z0-9\\-/]{1,50}$",
  VE: "^[JGVEP]-?\\d{8}-?\\d$",
  CN: "^[0-9A-Z]{18}$",
};

/** ISO 3166-1 alpha-2 codes Partner Center knows as markets. */
const ISO_CODES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
  "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
  "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
  "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
  "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" ");

const KNOWN = new Set(ISO_CODES);

/** A permissive international phone pattern: digits with the usual separators, optional leading `+`. */
const GENERIC_PHONE = "^\\+?[0-9][0-9 ()\\-.]{3,19}$";
/** North American Numbering Plan, with or without `+1` and separators. */
const NANP_PHONE = "^(\\+?1[-. ]?)?\\(?[2-9]\\d{2}\\)?[-. ]?\\d{3}[-. ]?\\d{4}$";

const US_STATES =
  "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AA AE AP AS GU MP PR VI".split(
    " ",
  );
const CA_PROVINCES = "AB BC MB NB NL NS NT NU ON PE QC SK YT".split(" ");
const BR_STATES = "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split(" ");
const IN_STATES =
  "AN AP AR AS BR CH CT DN DD DL GA GJ HR HP JK JH KA KL LA LD MP MH MN ML MZ NL OR PY PB RJ SK TN TG TR UP UT WB".split(
    " ",
  );
const AU_STATES = "ACT NSW NT QLD SA TAS VIC WA".split(" ");

type RuleOverrides = Partial<Omit<CountryValidationRules, "iso2Code" | "attributes">>;

/** Detailed markets. Unlisted fields fall back to {@link genericRules}. */
const DETAILED: Readonly<Record<string, RuleOverrides>> = {
  US: {
    defaultCulture: "en-US",
    isStateRequired: true,
    supportedStatesList: US_STATES,
    supportedLanguagesList: ["en", "es"],
    supportedCulturesList: ["en-US", "es-US"],
    postalCodeRegex: "^\\d{5}(-\\d{4})?$",
    phoneNumberRegex: NANP_PHONE,
    countryCallingCodesList: ["1"],
  },
  CA: {
    defaultCulture: "en-CA",
    isStateRequired: true,
    supportedStatesList: CA_PROVINCES,
    supportedLanguagesList: ["en", "fr"],
    supportedCulturesList: ["en-CA", "fr-CA"],
    postalCodeRegex: "^[ABCEGHJ-NPRSTVXYabceghj-nprstvxy]\\d[A-Za-z] ?\\d[A-Za-z]\\d$",
    phoneNumberRegex: NANP_PHONE,
    countryCallingCodesList: ["1"],
  },
  GB: {
    defaultCulture: "en-GB",
    supportedLanguagesList: ["en"],
    supportedCulturesList: ["en-GB"],
    postalCodeRegex: "^([A-Za-z]{1,2}\\d[A-Za-z\\d]? ?\\d[A-Za-z]{2}|GIR ?0AA)$",
    isVatIdSupported: true,
    vatIdRegex: "^(GB)?(\\d{9}(\\d{3})?|(GD|HA)\\d{3})$",
    taxIdFormat: "GB999999999",
    taxIdSample: "GB123456789",
    countryCallingCodesList: ["44"],
  },
  DE: {
    defaultCulture: "de-DE",
    supportedLanguagesList: ["de", "en"],
    supportedCulturesList: ["de-DE", "en-US"],
    postalCodeRegex: "^\\d{5}$",
    isVatIdSupported: true,
    vatIdRegex: "^(DE)?\\d{9}$",
    taxIdFormat: "DE999999999",
    taxIdSample: "DE123456789",
    countryCallingCodesList: ["49"],
  },
  FR: {
    defaultCulture: "fr-FR",
    supportedLanguagesList: ["fr", "en"],
    supportedCulturesList: ["fr-FR", "en-US"],
    postalCodeRegex: "^\\d{5}$",
    isVatIdSupported: true,
    vatIdRegex: "^(FR)?[0-9A-Z]{2}\\d{9}$",
    taxIdFormat: "FRXX999999999",
    taxIdSample: "FR12345678901",
    countryCallingCodesList: ["33"],
  },
  BR: {
    defaultCulture: "pt-BR",
    isStateRequired: true,
    supportedStatesList: BR_STATES,
    supportedLanguagesList: ["pt", "en"],
    supportedCulturesList: ["pt-BR", "en-US"],
    postalCodeRegex: "^\\d{5}-?\\d{3}$",
    isTaxIdSupported: true,
    isTaxIdOptional: false,
    taxIdFormat: "99.999.999/9999-99",
    taxIdSample: "12.345.678/0001-95",
    countryCallingCodesList: ["55"],
  },
  IN: {
    defaultCulture: "en-IN",
    isStateRequired: true,
    supportedStatesList: IN_STATES,
    supportedLanguagesList: ["en", "hi"],
    supportedCulturesList: ["en-IN", "hi-IN"],
    postalCodeRegex: "^\\d{6}$",
    isTaxIdSupported: true,
    isTaxIdOptional: true,
    taxIdFormat: "99AAAAA9999A9Z9",
    taxIdSample: "27AAPFU0939F1ZV",
    countryCallingCodesList: ["91"],
  },
  PL: {
    defaultCulture: "pl-PL",
    supportedLanguagesList: ["pl", "en"],
    supportedCulturesList: ["pl-PL", "en-US"],
    postalCodeRegex: "^\\d{2}-\\d{3}$",
    isVatIdSupported: true,
    vatIdRegex: "^(PL)?\\d{10}$",
    taxIdFormat: "PL9999999999",
    taxIdSample: "PL1234567890",
    countryCallingCodesList: ["48"],
  },
  RU: {
    defaultCulture: "ru-RU",
    supportedLanguagesList: ["ru", "en"],
    supportedCulturesList: ["ru-RU", "en-US"],
    postalCodeRegex: "^\\d{6}$",
    isTaxIdSupported: true,
    isTaxIdOptional: false,
    taxIdFormat: "9999999999",
    taxIdSample: "7707083893",
    countryCallingCodesList: ["7"],
  },
  AU: {
    defaultCulture: "en-AU",
    isStateRequired: true,
    supportedStatesList: AU_STATES,
    supportedLanguagesList: ["en"],
    supportedCulturesList: ["en-AU"],
    postalCodeRegex: "^\\d{4}$",
    isTaxIdSupported: true,
    isTaxIdOptional: true,
    taxIdFormat: "99 999 999 999",
    taxIdSample: "51 824 753 556",
    countryCallingCodesList: ["61"],
  },
  JP: {
    defaultCulture: "ja-JP",
    supportedLanguagesList: ["ja", "en"],
    supportedCulturesList: ["ja-JP", "en-US"],
    postalCodeRegex: "^\\d{3}-?\\d{4}$",
    countryCallingCodesList: ["81"],
  },
};

function genericRules(iso2Code: string): CountryValidationRules {
  return {
    iso2Code,
    defaultCulture: "en-US",
    isStateRequired: false,
    supportedStatesList: [],
    supportedLanguagesList: ["en"],
    supportedCulturesList: ["en-US"],
    isPostalCodeRequired: true,
    postalCodeRegex: "^[A-Za-z0-9][A-Za-z0-9 \\-]{1,11}$",
    isCityRequired: true,
    isVatIdSupported: false,
    taxIdFormat: "",
    taxIdSample: "",
    vatIdRegex: "",
    phoneNumberRegex: GENERIC_PHONE,
    isTaxIdSupported: false,
    isTaxIdOptional: true,
    countryCallingCodesList: [],
    attributes: { objectType: "CountryValidationRules" },
  };
}

const CACHE = new Map<string, CountryValidationRules>();

/**
 * The rules for an ISO 3166-1 alpha-2 code (any case), or `undefined` when Partner Center has none (e.g. `UK`).
 * The returned object is shared: callers must not mutate it.
 */
export function getCountryRules(iso2: string): CountryValidationRules | undefined {
  const code = iso2.toUpperCase();
  if (!KNOWN.has(code)) return undefined;
  let rules = CACHE.get(code);
  if (!rules) {
    rules = { ...genericRules(code), ...DETAILED[code] };
    CACHE.set(code, rules);
  }
  return rules;
}

/** Whether the country requires an organization registration number and a billing phone number. */
export function requiresRegistrationNumber(iso2: string): boolean {
  return REGISTRATION_NUMBER_FORMATS[iso2.toUpperCase()] !== undefined;
}
