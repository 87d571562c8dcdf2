// careergraph's own graphql-schema-linter rules: the API contract of issue 9 and STYLE.md
// ("closed sets are enums; counts are Int; field names do not bake in a release year"; one
// nullability policy that keeps sibling data: every connection field is nullable).
const { Kind } = require("graphql");
const { ValidationError } = require("graphql-schema-linter/lib/validation_error");

/** The named type under any list and non-null wrappers of an AST type. */
function namedType(type) {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** The name of the type (or extension) definition a field belongs to. */
function owner(ancestors) {
  for (let i = ancestors.length - 1; i >= 0; i -= 1) {
    const node = ancestors[i];
    if (node && node.kind && node.name && /Definition$|Extension$/.test(node.kind)) return node.name.value;
  }
  return "";
}

/** A field that names a kind or a way (`kind`, `matchedBy`, `matchedField`) is an enum, not a String. */
function KindsAreEnums(configuration, context) {
  return {
    FieldDefinition(node, key, parent, path, ancestors) {
      const name = node.name.value;
      if (!/^kind$|Kind$|By$|^matchedField$/.test(name)) return;
      if (namedType(node.type) === "String") {
        context.reportError(
          new ValidationError(
            "kinds-are-enums",
            `The field \`${owner(ancestors)}.${name}\` names a closed set but is a String: make it an enum.`,
            [node],
          ),
        );
      }
    },
  };
}

const COUNT = /(^|[a-z])Count$|^count$|^totalCount$|^jobs$|^employment$|^employmentChange$|^annualOpenings$|^minEmployment$|^employed$/;

/** Counts of things (jobs, openings, totals) are Int, never Float. */
function CountsAreInts(configuration, context) {
  const check = (node, where) => {
    const name = node.name.value;
    if (COUNT.test(name) && namedType(node.type) === "Float") {
      context.reportError(
        new ValidationError("counts-are-ints", `\`${where}.${name}\` is a count but a Float: make it Int.`, [node]),
      );
    }
  };
  return {
    FieldDefinition(node, key, parent, path, ancestors) {
      const type = owner(ancestors);
      check(node, type);
      for (const argument of node.arguments ?? []) check(argument, `${type}.${node.name.value}`);
    },
  };
}

/** Names never bake in a release or projection year (`employment2024`): releases change. */
function NoReleaseYearsInNames(configuration, context) {
  const check = (node, where) => {
    const name = node.name.value;
    if (/(19|20)\d\d/.test(name)) {
      context.reportError(
        new ValidationError(
          "no-release-years-in-names",
          `\`${where}${name}\` bakes a year into its name: name what it is and give the year as data.`,
          [node],
        ),
      );
    }
  };
  return {
    FieldDefinition(node, key, parent, path, ancestors) {
      check(node, `${owner(ancestors)}.`);
    },
    EnumValueDefinition(node) {
      check(node, "");
    },
  };
}

/** One nullability policy: a connection field is nullable, so a bad argument nulls it alone. */
function ConnectionFieldsAreNullable(configuration, context) {
  return {
    FieldDefinition(node, key, parent, path, ancestors) {
      if (node.type.kind === Kind.NON_NULL_TYPE && namedType(node.type).endsWith("Connection")) {
        context.reportError(
          new ValidationError(
            "connection-fields-are-nullable",
            `\`${owner(ancestors)}.${node.name.value}\` is a non-null connection: an error in it would null its parent.`,
            [node],
          ),
        );
      }
    },
  };
}

/**
 * What depends on how an object was looked up belongs to the lookup, not to a normalised entity:
 * a client cache keys `Occupation` by `id`, so a `match` on it is overwritten by the next lookup.
 */
function NoLookupStateOnEntities(configuration, context) {
  const check = (node) => {
    const isEntity = (node.interfaces ?? []).some((i) => i.name.value === "Node");
    if (!isEntity) return;
    for (const field of node.fields ?? []) {
      // A deprecated field is on its way out: clients migrate meanwhile.
      const deprecated = (field.directives ?? []).some((d) => d.name.value === "deprecated");
      if (!deprecated && /^match(es)?$|^matched[A-Z]/.test(field.name.value)) {
        context.reportError(
          new ValidationError(
            "no-lookup-state-on-entities",
            `\`${node.name.value}.${field.name.value}\` depends on the lookup but sits on a cached entity: move it to the lookup's result.`,
            [field],
          ),
        );
      }
    }
  };
  return { ObjectTypeDefinition: check, ObjectTypeExtension: check };
}

module.exports = { NoLookupStateOnEntities, KindsAreEnums, CountsAreInts, NoReleaseYearsInNames, ConnectionFieldsAreNullable };
