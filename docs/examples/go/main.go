// A customer and its acceptance of the Microsoft Customer Agreement, from Go (the generated SDK and the native
// plugin). App-only end to end.
package main

import (
	"github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go/partnercenter"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		domain := config.Get(ctx, "domain")
		if domain == "" {
			domain = "contosoltd.onmicrosoft.com"
		}
		contoso, err := partnercenter.NewPartnerCustomer(ctx, "contoso", &partnercenter.PartnerCustomerArgs{
			CompanyProfile: partnercenter.CustomerCompanyProfileArgs{Domain: pulumi.String(domain)},
			BillingProfile: partnercenter.CustomerBillingProfileArgs{
				Email:       pulumi.String("billing@contoso.example"),
				Culture:     pulumi.String("en-US"),
				Language:    pulumi.String("en"),
				CompanyName: pulumi.String("Contoso Ltd"),
				DefaultAddress: partnercenter.CustomerAddressArgs{
					FirstName:    pulumi.String("Ada"),
					LastName:     pulumi.String("Ng"),
					AddressLine1: pulumi.String("1 Microsoft Way"),
					City:         pulumi.String("Redmond"),
					State:        pulumi.String("WA"),
					PostalCode:   pulumi.String("98052"),
					Country:      pulumi.String("US"),
					PhoneNumber:  pulumi.String("4255550100"),
				},
			},
		})
		if err != nil {
			return err
		}
		// The customer accepts through a link; the next `pulumi up` after they did records the agreement.
		mca, err := partnercenter.NewMcaAcceptance(ctx, "contoso-mca", &partnercenter.McaAcceptanceArgs{
			CustomerId: contoso.CustomerId,
			Signatory: partnercenter.SignatoryArgs{
				FirstName: pulumi.String("Ada"),
				LastName:  pulumi.String("Ng"),
				Email:     pulumi.String("ada@contoso.example"),
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("tenantId", contoso.TenantId)
		ctx.Export("adminCredentials", contoso.UserCredentials) // secret
		ctx.Export("acceptanceStatus", mca.Status)
		ctx.Export("acceptanceUrl", mca.AcceptanceUrl) // secret: hand it to the customer privately
		return nil
	})
}
