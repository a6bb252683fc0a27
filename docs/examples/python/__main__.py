"""A customer and its acceptance of the Microsoft Customer Agreement, from Python (the generated SDK and the
native plugin). App-only end to end."""

import pulumi
import pulumi_partnercenter as partnercenter

config = pulumi.Config()

contoso = partnercenter.PartnerCustomer(
    "contoso",
    company_profile=partnercenter.CustomerCompanyProfileArgs(
        domain=config.get("domain") or "contosoltd.onmicrosoft.com"
    ),
    billing_profile=partnercenter.CustomerBillingProfileArgs(
        email="billing@contoso.example",
        culture="en-US",
        language="en",
        company_name="Contoso Ltd",
        default_address=partnercenter.CustomerAddressArgs(
            first_name="Ada",
            last_name="Ng",
            address_line1="1 Microsoft Way",
            city="Redmond",
            state="WA",
            postal_code="98052",
            country="US",
            phone_number="4255550100",
        ),
    ),
)

# The customer accepts through a link; the next `pulumi up` after they did records the agreement.
mca = partnercenter.McaAcceptance(
    "contoso-mca",
    customer_id=contoso.customer_id,
    signatory=partnercenter.SignatoryArgs(first_name="Ada", last_name="Ng", email="ada@contoso.example"),
)

pulumi.export("tenantId", contoso.tenant_id)
pulumi.export("adminCredentials", contoso.user_credentials)  # secret
pulumi.export("acceptanceStatus", mca.status)
pulumi.export("acceptanceUrl", mca.acceptance_url)  # secret: hand it to the customer privately
