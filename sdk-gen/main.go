// Command sdk-gen generates the Node.js, Go and Python SDKs of the native provider from provider/native/schema.json
// with Pulumi's own code generators (github.com/pulumi/pulumi/pkg/v3 codegen), as `pulumi package gen-sdk` would if
// its language hosts were available. The SDK version is package.json's version: the SDK's version selects the
// plugin version, so the two must be one number. package.json's repository and homepage go into the Node and Python
// packages' metadata and READMEs (what npm and PyPI show).
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

	manifest, err := readManifest(*packageJSON)
	if err != nil {
		return err
	}
	version := manifest.version
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
	// Where the package lives, from package.json when the schema does not say: the Node SDK's package.json
	// (repository, homepage) and the Python SDK's setup.py (url, project_urls) carry it to npm and PyPI.
	if spec.Repository == "" {
		spec.Repository = manifest.repository
	}
	if spec.Homepage == "" {
		spec.Homepage = manifest.homepage
	}
	// The README the Node and Python packages are published with (npm and PyPI show it): the schema's description,
	// where the plugin comes from and where the documentation is.
	for _, lang := range []string{"nodejs", "python"} {
		if err := setLanguageOptionDefault(&spec, lang, "readme", sdkReadme(spec, lang)); err != nil {
			return err
		}
	}
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
			if err == nil {
				addPythonReadme(files)
			}
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

// packageManifest is what the SDKs take from package.json.
type packageManifest struct {
	version    semver.Version
	repository string // https URL of the source repository, "" when package.json names none
	homepage   string
}

func readManifest(path string) (packageManifest, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return packageManifest{}, err
	}
	var manifest struct {
		Version    string          `json:"version"`
		Homepage   string          `json:"homepage"`
		Repository json.RawMessage `json:"repository"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return packageManifest{}, fmt.Errorf("%s: %w", path, err)
	}
	v, err := semver.Parse(manifest.Version)
	if err != nil {
		return packageManifest{}, fmt.Errorf("%s: version %q: %w", path, manifest.Version, err)
	}
	// npm's repository is a string or {type, url}; the SDKs want a plain https URL.
	var repository string
	if len(manifest.Repository) > 0 {
		var object struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(manifest.Repository, &repository) != nil {
			if err := json.Unmarshal(manifest.Repository, &object); err != nil {
				return packageManifest{}, fmt.Errorf("%s: repository: %w", path, err)
			}
			repository = object.URL
		}
	}
	repository = strings.TrimSuffix(strings.TrimPrefix(repository, "git+"), ".git")
	return packageManifest{version: v, repository: repository, homepage: manifest.Homepage}, nil
}

// sdkReadme is the README of the Node or Python SDK package.
func sdkReadme(spec schema.PackageSpec, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Pulumi provider for %s\n\n%s\n\n", spec.DisplayName, strings.TrimSpace(spec.Description))
	switch lang {
	case "nodejs":
		b.WriteString("The Node.js SDK of the `partnercenter` Pulumi provider.\n\n")
	case "python":
		b.WriteString("The Python SDK of the `partnercenter` Pulumi provider.\n\n")
	}
	b.WriteString("Pulumi installs the provider plugin (`pulumi-resource-partnercenter`) of the same version on first use")
	if spec.Repository != "" {
		fmt.Fprintf(&b, ", from the release assets of %s", spec.Repository)
	}
	b.WriteString(". Offline, install a downloaded archive with `pulumi plugin install resource partnercenter " +
		spec.Version + " --file <archive>`.\n")
	if spec.Homepage != "" {
		fmt.Fprintf(&b, "\nDocumentation: %s\n", spec.Homepage)
	}
	return b.String()
}

// addPythonReadme puts the package README beside setup.py too: the generator writes it into the package directory
// only, but setup.py reads ./README.md as the long description PyPI shows.
func addPythonReadme(files map[string][]byte) {
	if _, ok := files["README.md"]; ok {
		return
	}
	for name, content := range files {
		if strings.Count(name, "/") == 1 && strings.HasSuffix(name, "/README.md") {
			files["README.md"] = content
			return
		}
	}
}

// setLanguageOptionDefault sets language.<lang>.<key> unless the schema sets it.
func setLanguageOptionDefault(spec *schema.PackageSpec, lang, key string, value any) error {
	if raw, ok := spec.Language[lang]; ok && len(raw) > 0 {
		options := map[string]any{}
		if err := json.Unmarshal(raw, &options); err != nil {
			return fmt.Errorf("language.%s: %w", lang, err)
		}
		if _, set := options[key]; set {
			return nil
		}
	}
	return setLanguageOption(spec, lang, key, value)
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
