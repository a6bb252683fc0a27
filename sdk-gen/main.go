// Command sdk-gen generates the Node.js, Go and Python SDKs of the native provider from provider/native/schema.json
// with Pulumi's own code generators (github.com/pulumi/pulumi/pkg/v3 codegen), as `pulumi package gen-sdk` would if
// its language hosts were available. The SDK version is package.json's version: the SDK's version selects the
// plugin version, so the two must be one number.
//
// Usage: sdk-gen -schema provider/native/schema.json -package-json package.json -out sdk [-languages nodejs,go,python]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-partnercenter-sdk-gen"

// pulumiSDKVersion is the github.com/pulumi/pulumi/sdk/v3 version the generated Go SDK's go.mod requires.
const pulumiSDKVersion = "v3.276.0"

// noLoader refuses every package reference: the schema refers to no other package.
type noLoader struct{}

func (noLoader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("schema refers to package %q: external packages are not supported", pkg)
}

func (noLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("schema refers to package %q: external packages are not supported", d.Name)
}

func (noLoader) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("schema refers to package %q: external packages are not supported", pkg)
}

func (noLoader) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, fmt.Errorf("schema refers to package %q: external packages are not supported", d.Name)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "sdk-gen: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	schemaPath := flag.String("schema", "provider/native/schema.json", "the provider schema")
	packageJSON := flag.String("package-json", "package.json", "package.json whose version the SDKs take")
	out := flag.String("out", "sdk", "output directory; each language goes to <out>/<language>, replaced")
	languages := flag.String("languages", "nodejs,go,python", "comma-separated languages")
	flag.Parse()

	version, err := readVersion(*packageJSON)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(*schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", *schemaPath, err)
	}
	if spec.Version != "" && spec.Version != version.String() {
		return fmt.Errorf("%s has version %s but %s has %s: regenerate the schema", *schemaPath, spec.Version,
			*packageJSON, version)
	}
	spec.Version = version.String()
	// Write the real version into each SDK (package.json, setup/pyproject, pulumi-plugin.json) instead of the
	// ${VERSION} placeholder a release pipeline would substitute.
	for _, lang := range []string{"nodejs", "go", "python"} {
		if err := setLanguageOption(&spec, lang, "respectSchemaVersion", true); err != nil {
			return err
		}
	}

	for _, lang := range strings.Split(*languages, ",") {
		lang = strings.TrimSpace(lang)
		// Bind afresh for each language: the generators record their language info on the package.
		pkg, diags, err := schema.BindSpec(spec, noLoader{}, schema.ValidationOptions{})
		if err != nil {
			return fmt.Errorf("binding %s: %w", *schemaPath, err)
		}
		if diags.HasErrors() {
			return fmt.Errorf("binding %s: %w", *schemaPath, errors.Join(diags.Errs()...))
		}
		var files map[string][]byte
		switch lang {
		case "nodejs":
			files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, noLoader{})
		case "go":
			files, err = gogen.GeneratePackage(tool, pkg, nil)
			if err == nil {
				err = addGoMod(files, pkg)
			}
		case "python":
			files, err = python.GeneratePackage(tool, pkg, nil, noLoader{})
		default:
			return fmt.Errorf("unsupported language %q (nodejs, go, python)", lang)
		}
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", lang, err)
		}
		dir := filepath.Join(*out, lang)
		if err := writeFiles(dir, files, version.String()); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "sdk-gen: %s SDK %s: %d files in %s\n", lang, version, len(files), dir)
	}
	return nil
}

func readVersion(path string) (semver.Version, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return semver.Version{}, err
	}
	var manifest struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return semver.Version{}, fmt.Errorf("%s: %w", path, err)
	}
	v, err := semver.Parse(manifest.Version)
	if err != nil {
		return semver.Version{}, fmt.Errorf("%s: version %q: %w", path, manifest.Version, err)
	}
	return v, nil
}

func setLanguageOption(spec *schema.PackageSpec, lang, key string, value any) error {
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	options := map[string]any{}
	if raw, ok := spec.Language[lang]; ok && len(raw) > 0 {
		if err := json.Unmarshal(raw, &options); err != nil {
			return fmt.Errorf("language.%s: %w", lang, err)
		}
	}
	options[key] = value
	raw, err := json.Marshal(options)
	if err != nil {
		return err
	}
	spec.Language[lang] = raw
	return nil
}

// addGoMod gives the Go SDK a go.mod (the generator writes none): its module is the import base path's parent,
// so `sdk/go` is the module root and the package is `<module>/partnercenter`.
func addGoMod(files map[string][]byte, pkg *schema.Package) error {
	info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
	base := info.ImportBasePath
	if base == "" {
		return errors.New("language.go.importBasePath is not set")
	}
	module := base[:strings.LastIndex(base, "/")]
	// The generator leaves SdkVersion empty (the version then comes from the module path: 1.0.0); pin it to the
	// package version so the resource-module registration reports the same number as the resource options.
	const versionFile = "partnercenter/internal/pulumiVersion.go"
	if content, ok := files[versionFile]; ok {
		files[versionFile] = bytes.Replace(content, []byte("var SdkVersion semver.Version = semver.Version{}"),
			[]byte(fmt.Sprintf("var SdkVersion semver.Version = semver.MustParse(%q)", pkg.Version.String())), 1)
	}
	files["go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n",
		module, pulumiSDKVersion))
	return nil
}

func writeFiles(dir string, files map[string][]byte, version string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		content = bytes.ReplaceAll(content, []byte("${VERSION}"), []byte(version))
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
