/**
 * Country data for validating customer addresses: constant tables only (no state), so the module is safe to
 * `require()` inside the dynamic-provider host.
 */

/**
 * Every officially assigned ISO 3166-1 alpha-2 code (249 codes), upper case.
 *
 * Source: the ISO 3166 Maintenance Agency's list of officially assigned codes (ISO 3166-1:2020 as amended; no
 * assignment has changed since `SS` South Sudan in 2011 and the 2019 renaming of `MK`). Reserved codes (`UK`, `EU`,
 * `EL`, …) and user-assigned codes (`XK` for Kosovo) are deliberately absent: Partner Center works with ISO codes and,
 * for one, answers "No validation rules were found for the country/region UK" (MicrosoftDocs/partner-center-docs-
 * powershell#147). Which of these countries Partner Center actually sells in is a per-partner question the
 * `countryvalidationrules` endpoint answers, not this table.
 */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
    "DE DJ DK DM DO DZ " +
    "EC EE EG EH ER ES ET " +
    "FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
    "HK HM HN HR HT HU " +
    "ID IE IL IM IN IO IQ IR IS IT " +
    "JE JM JO JP " +
    "KE KG KH KI KM KN KP KR KW KY KZ " +
    "LA LB LC LI LK LR LS LT LU LV LY " +
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
    "NA NC NE NF NG NI NL NO NP NR NU NZ " +
    "OM " +
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
    "QA " +
    "RE RO RS RU RW " +
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
    "UA UG UM US UY UZ " +
    "VA VC VE VG VI VN VU " +
    "WF WS " +
    "YE YT " +
    "ZA ZM ZW"
  ).split(" "),
);

/**
 * Countries where Partner Center requires `companyProfile.organizationRegistrationNumber` **and**
 * `billingProfile.defaultAddress.phoneNumber` (errors 600049 / 600051 when missing), and outside which it refuses the
 * registration number (error 600002, "value is not supported").
 *
 * Source: Partner Center docs customer-resources and create-a-customer (2021 text, [DOCS21]; the current
 * utility-resources phone note carries the same list), summarised in `partner-center-api.md` §3.5. The docs name
 * the last 13 countries only by name; their codes (IN BR ZA PL AE SA TR TH VN MM IQ SS VE) are our mapping.
 */
export const REGISTRATION_NUMBER_COUNTRIES: ReadonlySet<string> = new Set([
  "AM", // Armenia
  "AZ", // Azerbaijan
  "BY", // Belarus
  "HU", // Hungary
  "KZ", // Kazakhstan
  "KG", // Kyrgyzstan
  "MD", // Moldova
  "RU", // Russia
  "TJ", // Tajikistan
  "UZ", // Uzbekistan
  "UA", // Ukraine
  "IN", // India
  "BR", // Brazil
  "ZA", // South Africa
  "PL", // Poland
  "AE", // United Arab Emirates
  "SA", // Saudi Arabia
  "TR", // Türkiye
  "TH", // Thailand
  "VN", // Vietnam
  "MM", // Myanmar
  "IQ", // Iraq
  "SS", // South Sudan
  "VE", // Venezuela
]);

/**
 * Codes people write that are not ISO 3166-1 alpha-2 codes, with the code they mean and the hint to show. Only
 * mistakes with a real-world origin are listed: `UK` is exceptionally reserved by ISO for the United Kingdom but is
 * not its code (`GB`), and `EL` is the European Union's (VAT, Eurostat) code for Greece, whose ISO code is `GR`.
 */
export const COUNTRY_CODE_MISTAKES: ReadonlyMap<string, { code: string; name: string }> = new Map([
  ["UK", { code: "GB", name: "the United Kingdom" }],
  ["EL", { code: "GR", name: "Greece" }],
]);
