//! Reading the ABI header, post-processing modules with walrus, and checking them with wasmparser.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef, Validator, WasmFeatures};

/// One function of the C ABI, as declared in abi/pith.h.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbiFunction {
    pub name: String,
    /// Number of `int32_t` parameters (every parameter and result of the ABI is an i32).
    pub params: usize,
}

/// Parse the `PITH_EXPORT int32_t NAME(...)` declarations of pith.h (a parameter list may
/// continue over several lines up to its closing parenthesis).
pub fn parse_abi_header(header: &str) -> Result<Vec<AbiFunction>> {
    let mut functions: Vec<AbiFunction> = Vec::new();
    let mut offset = 0;
    for (line_no, line) in header.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += line.len();
        let Some(rest) = line.trim_start().strip_prefix("PITH_EXPORT") else {
            continue;
        };
        let here = || format!("pith.h line {}: {}", line_no + 1, line.trim_end());
        let Some(rest) = rest.trim_start().strip_prefix("int32_t") else {
            bail!("{}: a PITH_EXPORT function must return int32_t", here());
        };
        let open = rest.find('(').with_context(|| format!("{}: no `(` after the name", here()))?;
        let name = rest[..open].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            bail!("{}: cannot read the function name", here());
        }
        // `rest` is a suffix of `line`, so this is where the `(` is in the whole header.
        let open_in_header = line_start + (line.len() - rest.len()) + open;
        let after_open = &header[open_in_header + 1..];
        let close =
            after_open.find(')').with_context(|| format!("{}: the parameter list of {name} is not closed", here()))?;
        let list = after_open[..close].trim();
        let params = if list.is_empty() || list == "void" {
            0
        } else {
            for p in list.split(',') {
                if !p.trim().starts_with("int32_t") {
                    bail!("{}: parameter `{}` of {name} is not an int32_t", here(), p.trim());
                }
            }
            list.split(',').count()
        };
        if functions.iter().any(|f| f.name == name) {
            bail!("{}: {name} is declared twice", here());
        }
        functions.push(AbiFunction { name: name.to_string(), params });
    }
    if functions.is_empty() {
        bail!("pith.h declares no `PITH_EXPORT int32_t NAME(` functions: is it the right file?");
    }
    Ok(functions)
}

/// What the walrus pass did, for the log.
pub struct Filtered {
    pub wasm: Vec<u8>,
    pub removed_exports: Vec<String>,
    pub removed_customs: Vec<String>,
}

/// Remove custom sections (all of them; the name section too unless `keep_names`), keep only
/// the ABI's function exports and `memory`, check their signatures, then garbage-collect.
pub fn filter_module(wasm: &[u8], abi: &[AbiFunction], keep_names: bool) -> Result<Filtered> {
    let mut config = walrus::ModuleConfig::new();
    config.generate_producers_section(false).generate_name_section(keep_names).generate_dwarf(false);
    let mut module = config.parse(wasm).context("walrus could not parse the module")?;

    // Every custom section of the input goes (walrus parses "name" and "producers" itself and
    // keeps DWARF `.debug_*` sections in `module.debug`, emitted only with generate_dwarf).
    let mut removed_customs: Vec<String> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CustomSection(c) = payload.context("could not parse the module")? {
            if !(keep_names && c.name() == "name") {
                removed_customs.push(c.name().to_string());
            }
        }
    }
    let custom_ids: Vec<_> = module.customs.iter().map(|(id, _)| id).collect();
    for id in custom_ids {
        module.customs.delete(id);
    }
    module.producers.clear();

    let mut removed_exports = Vec::new();
    let mut found: BTreeMap<String, walrus::FunctionId> = BTreeMap::new();
    let mut memory_found = false;
    let exports: Vec<_> = module.exports.iter().map(|e| (e.id(), e.name.clone(), e.item)).collect();
    for (id, name, item) in exports {
        let keep = match item {
            walrus::ExportItem::Function(f) if abi.iter().any(|a| a.name == name) => {
                found.insert(name.clone(), f);
                true
            }
            walrus::ExportItem::Memory(_) if name == "memory" => {
                memory_found = true;
                true
            }
            _ => false,
        };
        if !keep {
            removed_exports.push(name);
            module.exports.delete(id);
        }
    }

    let missing: Vec<&str> = abi.iter().filter(|a| !found.contains_key(&a.name)).map(|a| a.name.as_str()).collect();
    if !missing.is_empty() {
        bail!(
            "the module does not export these functions declared in abi/pith.h: {} \
             (every PITH_EXPORT function must be a `#[no_mangle] extern \"C\"` export)",
            missing.join(", ")
        );
    }
    if !memory_found {
        bail!("the module does not export its memory as \"memory\" (abi/pith.h requires it)");
    }
    for a in abi {
        let func = module.funcs.get(found[&a.name]);
        let ty = module.types.get(func.ty());
        let i32_only = |v: &[walrus::ValType]| v.iter().all(|t| *t == walrus::ValType::I32);
        if ty.params().len() != a.params || !i32_only(ty.params()) || ty.results() != [walrus::ValType::I32] {
            bail!(
                "export {} has type {:?} -> {:?}, but abi/pith.h declares {} i32 parameter(s) -> i32",
                a.name,
                ty.params(),
                ty.results(),
                a.params
            );
        }
    }

    walrus::passes::gc::run(&mut module);
    let wasm = module.emit_wasm();
    Ok(Filtered { wasm, removed_exports, removed_customs })
}

/// The WebAssembly features rustc 1.95 emits for wasm32-unknown-unknown by default (and that
/// the wasm-opt flags enable): WebAssembly 2.0 without SIMD. Anything else fails validation.
pub fn rustc_features() -> WasmFeatures {
    WasmFeatures::WASM1
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::REFERENCE_TYPES
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::MULTI_VALUE
}

/// What validation found out about a module.
pub struct Checked {
    pub custom_sections: Vec<String>,
}

/// Validate with wasmparser and fail on any import.
pub fn validate(wasm: &[u8], what: &str) -> Result<Checked> {
    Validator::new_with_features(rustc_features())
        .validate_all(wasm)
        .with_context(|| format!("{what} does not validate (features: WebAssembly 2.0 without SIMD)"))?;
    let mut imports = Vec::new();
    let mut custom_sections = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.with_context(|| format!("{what}: could not parse"))? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.with_context(|| format!("{what}: bad import entry"))?;
                    imports.push(format!("{}::{}", import.module, import.name));
                }
            }
            Payload::CustomSection(c) => custom_sections.push(c.name().to_string()),
            _ => {}
        }
    }
    if !imports.is_empty() {
        bail!(
            "{what} imports {}: the pith module must import nothing (ABI.md); \
             something pulled in a host function (std I/O? a wasm-bindgen crate? getrandom?)",
            imports.join(", ")
        );
    }
    Ok(Checked { custom_sections })
}

/// One function's code-body size (locals and instructions, without the size prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSize {
    pub name: String,
    pub bytes: u64,
}

/// Every defined function with its body size and its name from the name section
/// (`func[N]` when unnamed), largest first, ties by name.
pub fn function_sizes(wasm: &[u8]) -> Result<Vec<FunctionSize>> {
    let mut imported_funcs = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("could not parse the names build")? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, TypeRef::Func(_)) {
                        imported_funcs += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body.range().len() as u64),
            Payload::CustomSection(c) => {
                if let KnownCustom::Name(reader) = c.as_known() {
                    for sub in reader {
                        if let Name::Function(map) = sub.context("bad name section")? {
                            for naming in map {
                                let naming = naming.context("bad function name entry")?;
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut sizes: Vec<FunctionSize> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let index = imported_funcs + i as u32;
            let name = names.get(&index).cloned().unwrap_or_else(|| format!("func[{index}]"));
            FunctionSize { name, bytes }
        })
        .collect();
    sizes.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_real_header() -> Result<()> {
        let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../abi/pith.h"))?;
        let abi = parse_abi_header(&header)?;
        let names: Vec<&str> = abi.iter().map(|a| a.name.as_str()).collect();
        assert!(names.contains(&"alloc"));
        assert!(names.contains(&"free"));
        assert!(names.contains(&"arena_reset"));
        let extract = abi.iter().find(|a| a.name == "extract_ptr").context("extract_ptr missing")?;
        assert_eq!(extract.params, 6, "a declaration spanning two lines");
        let version = abi.iter().find(|a| a.name == "abi_version").context("abi_version missing")?;
        assert_eq!(version.params, 0);
        Ok(())
    }

    #[test]
    fn header_parsing_rejects_nonsense() {
        assert!(parse_abi_header("int main(void);").is_err());
        assert!(parse_abi_header("PITH_EXPORT int64_t f(void);").is_err());
        assert!(parse_abi_header("PITH_EXPORT int32_t f(int64_t x);").is_err());
        assert!(parse_abi_header("PITH_EXPORT int32_t f(void);\nPITH_EXPORT int32_t f(void);").is_err());
    }
}
