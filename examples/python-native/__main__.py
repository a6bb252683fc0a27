"""A Partner Center customer and its recorded Microsoft Customer Agreement, declared with the generated Python SDK.

Changing any profile field replaces the customer (a new tenant); the admin credentials are a secret output.
deletionPolicy is left out, i.e. "retain": `pulumi destroy` only forgets the customer.
"""

import pulumi
import pulumi_partnercenter as partnercenter

config = pulumi.Config()

customer = partnercenter.PartnerCustomer(
    "contoso",
    company_profile=partnercenter.CustomerCompanyProfileArgs(domain=config.require("domain")),
    billing_profile=partnercenter.CustomerBillingProfileArgs(
        email="billing@contoso.example",
        culture="en-US",
        language="en",
        company_name="Contoso Python Ltd",
        default_address=partnercenter.CustomerAddressArgs(
            first_name="Ada",
            last_name="Ng",
            address_line1="1 Microsoft Way",
            city="Redmond",
            state="WA",
            postal_code="98052",
            country="US",
        ),
    ),
)

agreement = partnercenter.CustomerAgreement(
    "contosoAgreement",
    customer_id=customer.customer_id,
    primary_contact=partnercenter.AgreementContactArgs(
        first_name="Ada", last_name="Ng", email="ada@contoso.example"
    ),
)

pulumi.export("customerId", customer.customer_id)
pulumi.export("adminCredentials", customer.user_credentials)
pulumi.export("agreementId", agreement.id)
