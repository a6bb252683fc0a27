// A Partner Center customer and its acceptance of the Microsoft Customer Agreement, declared with the generated Go
// SDK.
//
// Changing any profile field replaces the customer (a new tenant); the admin credentials are a secret output.
// deletionPolicy is left out, i.e. "retain": `pulumi destroy` only forgets the customer.
//
// The acceptance waits on a person: `pulumi up` creates the attestation and ends with status waitingForCustomer;
// hand the customer the acceptanceUrl (a secret output) privately; the next `pulumi up` after they accepted records
// the agreement.
package main

import (
	"github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go/partnercenter"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")

		customer, err := partnercenter.NewPartnerCustomer(ctx, "contoso", &partnercenter.PartnerCustomerArgs{
			CompanyProfile: &partnercenter.CustomerCompanyProfileArgs{
				Domain: pulumi.String(cfg.Require("domain")),
			},
			BillingProfile: &partnercenter.CustomerBillingProfileArgs{
				Email:       pulumi.String("billing@contoso.example"),
				Culture:     pulumi.String("en-US"),
				Language:    pulumi.String("en"),
				CompanyName: pulumi.String("Contoso Go Ltd"),
				DefaultAddress: &partnercenter.CustomerAddressArgs{
					FirstName:    pulumi.String("Ada"),
					LastName:     pulumi.String("Ng"),
					AddressLine1: pulumi.String("1 Microsoft Way"),
					City:         pulumi.String("Redmond"),
					State:        pulumi.String("WA"),
					PostalCode:   pulumi.String("98052"),
					Country:      pulumi.String("US"),
				},
			},
		})
		if err != nil {
			return err
		}

		acceptance, err := partnercenter.NewMcaAcceptance(ctx, "contosoMca", &partnercenter.McaAcceptanceArgs{
			CustomerId: customer.CustomerId,
			Signatory: &partnercenter.SignatoryArgs{
				FirstName: pulumi.String("Ada"),
				LastName:  pulumi.String("Ng"),
				Email:     pulumi.String("ada@contoso.example"),
			},
		})
		if err != nil {
			return err
		}

		ctx.Export("customerId", customer.CustomerId)
		ctx.Export("adminCredentials", customer.UserCredentials)
		ctx.Export("acceptanceStatus", acceptance.Status)
		ctx.Export("acceptanceUrl", acceptance.AcceptanceUrl)
		return nil
	})
}
