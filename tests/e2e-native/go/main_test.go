// The native provider from a Go program: a Go Automation API inline program (the Go SDK runs the program in-process,
// so no Go language host is needed) declares partnercenter:index:PartnerCustomer through the generated Go SDK
// (sdk/go, from scripts/gen-sdks.sh), on a local file backend with a passphrase secrets provider, against the
// Partner Center emulator (started with `node dist/emulator/cli.js --port 0 --json`): preview, up (a customer and its
// CustomerAgreement), unchanged up, refresh, destroy (the customer is retained), then `pulumi import` of the retained
// customer and of its recorded acceptance (by the customer id alone) into the emptied stack, and destroy again.
//
// Needs: scripts/gen-sdks.sh (sdk/go), `npm run build` (the plugin and the emulator), the Pulumi CLI on PATH
// (`source scripts/ensure-pulumi.sh`). scripts/test-native-go.sh does all of it.
package e2enativego

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go/partnercenter"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optimport"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const passphrase = "pulumi-partnercenter-e2e"

// emulator is the JSON line `partner-center-emulator --json` prints.
type emulator struct {
	URL               string `json:"url"`
	Authority         string `json:"authority"`
	TenantID          string `json:"tenantId"`
	CACertificatePath string `json:"caCertificatePath"`
	Credentials       struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		RefreshToken string `json:"refreshToken"`
	} `json:"credentials"`
}

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	root, err := filepath.Abs(filepath.Join(filepath.Dir(file), "..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// startEmulator runs the emulator CLI (Node) until the test ends.
func startEmulator(t *testing.T, root string) emulator {
	t.Helper()
	// Node runs the built CLI itself rather than through `npx partner-center-emulator`: npx resolves the package's
	// own bin to dist/emulator/cli.js and runs it through sh, which needs the execute bit that only an npm install
	// (or our build) sets — a clean clone's CI failed there with "Permission denied".
	cmd := exec.Command("node", filepath.Join(root, "dist", "emulator", "cli.js"), "--port", "0", "--json")
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	// Its own process group, so that whatever the emulator starts ends with the test too (else a child holding the
	// test's stderr open would make `go test` wait for it).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	lines := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		if scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
		for scanner.Scan() {
		}
	}()
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatal("the emulator exited before printing its connection details")
		}
		var e emulator
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("emulator output %q: %v", line, err)
		}
		return e
	case <-time.After(60 * time.Second):
		t.Fatal("the emulator did not start within 60s")
	}
	return emulator{}
}

// emulatorState is what the emulator's admin route GET /_emulator/state answers (the parts read here).
type emulatorState struct {
	Customers []struct {
		ID string `json:"id"`
	} `json:"customers"`
	Agreements []struct {
		CustomerID string `json:"customerId"`
	} `json:"agreements"`
}

// emulatorCustomerIDs reads the emulator's customers from its admin route GET /_emulator/state.
func emulatorCustomerIDs(t *testing.T, e emulator) []string {
	state := readEmulatorState(t, e)
	ids := make([]string, 0, len(state.Customers))
	for _, c := range state.Customers {
		ids = append(ids, c.ID)
	}
	return ids
}

// emulatorAgreements counts the acceptances the emulator holds for a customer.
func emulatorAgreements(t *testing.T, e emulator, customerID string) int {
	n := 0
	for _, a := range readEmulatorState(t, e).Agreements {
		if a.CustomerID == customerID {
			n++
		}
	}
	return n
}

func readEmulatorState(t *testing.T, e emulator) emulatorState {
	t.Helper()
	pem, err := os.ReadFile(e.CACertificatePath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(e.URL + "/_emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var state emulatorState
	if err := json.NewDecoder(resp.Body).Decode(&state); err != nil {
		t.Fatal(err)
	}
	return state
}

func contains(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

func TestPartnerCustomerFromGoInlineProgram(t *testing.T) {
	root := repoRoot(t)
	if _, err := exec.LookPath("pulumi"); err != nil {
		t.Fatal("the Pulumi CLI is not on PATH: source scripts/ensure-pulumi.sh")
	}
	if _, err := os.Stat(filepath.Join(root, "dist", "provider", "native", "pluginMain.js")); err != nil {
		t.Fatal("dist/provider/native/pluginMain.js is missing: run npm run build")
	}
	e := startEmulator(t, root)
	run := strconv.FormatInt(time.Now().UnixNano()%1_000_000_000, 36)
	domain := fmt.Sprintf("gosdk%s.onmicrosoft.com", run)

	program := func(ctx *pulumi.Context) error {
		customer, err := partnercenter.NewPartnerCustomer(ctx, "customer", &partnercenter.PartnerCustomerArgs{
			CompanyProfile: partnercenter.CustomerCompanyProfileArgs{Domain: pulumi.String(domain)},
			BillingProfile: partnercenter.CustomerBillingProfileArgs{
				Email:       pulumi.String("billing@contoso.example"),
				Culture:     pulumi.String("en-US"),
				Language:    pulumi.String("en"),
				CompanyName: pulumi.String("Contoso Go Ltd"),
				DefaultAddress: partnercenter.CustomerAddressArgs{
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
		agreement, err := partnercenter.NewCustomerAgreement(ctx, "agreement", &partnercenter.CustomerAgreementArgs{
			CustomerId: customer.CustomerId,
			PrimaryContact: partnercenter.AgreementContactArgs{
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
		ctx.Export("agreementId", agreement.ID())
		return nil
	}

	ctx := context.Background()
	backend := t.TempDir()
	// The engine finds pulumi-resource-partnercenter on PATH: the repository's bin/ launcher.
	env := map[string]string{
		"PULUMI_BACKEND_URL":                   "file://" + backend,
		"PULUMI_CONFIG_PASSPHRASE":             passphrase,
		"PULUMI_SKIP_UPDATE_CHECK":             "true",
		"PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
		"NODE_EXTRA_CA_CERTS":                  e.CACertificatePath,
		"PATH":                                 filepath.Join(root, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "go-"+run, "partnercenter-go-e2e", program,
		auto.WorkDir(t.TempDir()), auto.EnvVars(env), auto.SecretsProvider("passphrase"))
	if err != nil {
		t.Fatalf("creating the stack: %v", err)
	}
	t.Cleanup(func() { _ = stack.Workspace().RemoveStack(ctx, stack.Name()) })
	config := auto.ConfigMap{
		"partnercenter:endpoint":     {Value: e.URL},
		"partnercenter:authority":    {Value: e.Authority},
		"partnercenter:tenantId":     {Value: e.TenantID},
		"partnercenter:clientId":     {Value: e.Credentials.ClientID},
		"partnercenter:clientSecret": {Value: e.Credentials.ClientSecret, Secret: true},
		"partnercenter:refreshToken": {Value: e.Credentials.RefreshToken, Secret: true},
	}
	if err := stack.SetAllConfig(ctx, config); err != nil {
		t.Fatalf("setting config: %v", err)
	}
	before := emulatorCustomerIDs(t, e)

	preview, err := stack.Preview(ctx, optpreview.Diff())
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	// The stack, the customer and the agreement (the default provider is not counted as a create).
	if preview.ChangeSummary["create"] != 3 {
		t.Fatalf("preview: want the stack, the customer and the agreement created, got %v", preview.ChangeSummary)
	}
	if after := emulatorCustomerIDs(t, e); len(after) != len(before) {
		t.Fatalf("preview created customers: %d before, %d after", len(before), len(after))
	}

	up, err := stack.Up(ctx)
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if up.Summary.Result != "succeeded" {
		t.Fatalf("up: %s", up.Summary.Result)
	}
	customerID, _ := up.Outputs["customerId"].Value.(string)
	if customerID == "" {
		t.Fatalf("up: no customerId output: %v", up.Outputs)
	}
	if !contains(emulatorCustomerIDs(t, e), customerID) {
		t.Fatalf("customer %s is not in the emulator", customerID)
	}
	credentials := up.Outputs["adminCredentials"]
	if !credentials.Secret {
		t.Fatal("adminCredentials is not secret")
	}
	if credentials.Value == nil {
		t.Fatal("adminCredentials is empty")
	}
	agreementID, _ := up.Outputs["agreementId"].Value.(string)
	if n := emulatorAgreements(t, e, customerID); n != 1 || agreementID == "" {
		t.Fatalf("up: want one acceptance recorded and its id, got %d and %q", n, agreementID)
	}

	again, err := stack.Up(ctx)
	if err != nil {
		t.Fatalf("second up: %v", err)
	}
	for op, n := range *again.Summary.ResourceChanges {
		if op != "same" && n != 0 {
			t.Fatalf("second up changed something: %v", *again.Summary.ResourceChanges)
		}
	}

	refresh, err := stack.Refresh(ctx, optrefresh.ExpectNoChanges())
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if refresh.Summary.Result != "succeeded" {
		t.Fatalf("refresh: %s", refresh.Summary.Result)
	}

	destroy, err := stack.Destroy(ctx)
	if err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if destroy.Summary.Result != "succeeded" {
		t.Fatalf("destroy: %s", destroy.Summary.Result)
	}
	// deletionPolicy unset = "retain": destroy forgets the customer, Partner Center keeps it.
	if !contains(emulatorCustomerIDs(t, e), customerID) {
		t.Fatalf("customer %s was deleted from the emulator despite the retain policy", customerID)
	}

	// The retained customer and its acceptance, taken over again with pulumi import: the agreement by the customer
	// id alone (its only acceptance). Unprotected on request, so the next destroy runs; it only forgets them again.
	// `pulumi import` starts the project's language host even with --generate-code=false (it does not run the
	// program). The Go host is not served by the module proxy here, so for this step the project names the YAML host,
	// which is built here; with Pulumi's own distribution a Go project imports as it is.
	settings, err := stack.Workspace().ProjectSettings(ctx)
	if err != nil {
		t.Fatalf("project settings: %v", err)
	}
	settings.Runtime = workspace.NewProjectRuntimeInfo("yaml", nil)
	settings.Main = stack.Workspace().WorkDir() // the YAML host reads the (resource-less) Pulumi.yaml written there
	if err := stack.Workspace().SaveProjectSettings(ctx, settings); err != nil {
		t.Fatalf("saving project settings: %v", err)
	}
	imported, err := stack.ImportResources(ctx,
		optimport.Resources([]*optimport.ImportResource{
			{Type: "partnercenter:index:PartnerCustomer", Name: "adopted", ID: customerID},
			{Type: "partnercenter:index:CustomerAgreement", Name: "adoptedAgreement", ID: customerID},
		}),
		optimport.Protect(false),
		optimport.GenerateCode(false),
	)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if got := (*imported.Summary.ResourceChanges)["import"]; got != 2 {
		t.Fatalf("import: want 2 resources imported, got %v", *imported.Summary.ResourceChanges)
	}
	state, err := stack.Export(ctx)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var deployment struct {
		Resources []struct {
			URN    string                 `json:"urn"`
			ID     string                 `json:"id"`
			Inputs map[string]interface{} `json:"inputs"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(state.Deployment, &deployment); err != nil {
		t.Fatalf("reading the exported state: %v", err)
	}
	found := map[string]string{}
	for _, r := range deployment.Resources {
		found[r.URN[strings.LastIndex(r.URN, "::")+2:]] = r.ID
		if strings.HasSuffix(r.URN, "::adopted") && r.Inputs["existingCustomerId"] != customerID {
			t.Fatalf("the imported customer is not adopted: inputs %v", r.Inputs)
		}
	}
	if found["adopted"] != customerID || found["adoptedAgreement"] != agreementID {
		t.Fatalf("imported ids: want %s and %s, got %v", customerID, agreementID, found)
	}
	if _, err := stack.Destroy(ctx, optdestroy.Remove()); err != nil {
		t.Fatalf("destroy after import: %v", err)
	}
	if !contains(emulatorCustomerIDs(t, e), customerID) || emulatorAgreements(t, e, customerID) != 1 {
		t.Fatalf("destroy after import touched customer %s or its acceptance", customerID)
	}
}
