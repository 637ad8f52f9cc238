import { describe, expect, it } from "vitest";
import { cannedVariables, fillVariables, unknownVariables, variableValues } from "./canned-variables";

const context = {
  customer: { name: "John  Doe", email: "john@acme.test" },
  agent: { name: "Sarah Johnson" },
  tenant: { name: "Acme Bank" },
  conversation: { number: 42 },
};

describe("canned response variables", () => {
  it("fills every known variable", () => {
    const body = cannedVariables.map((v) => `${v}={{${v}}}`).join("; ");
    expect(fillVariables(body, context)).toBe(
      "customer.firstName=John; customer.name=John  Doe; customer.email=john@acme.test; " +
        "agent.firstName=Sarah; agent.name=Sarah Johnson; tenant.name=Acme Bank; conversation.number=42",
    );
  });

  it("fills the demo greeting", () => {
    expect(
      fillVariables("Hi {{customer.firstName}}, I'm {{agent.firstName}} from {{tenant.name}}.", context),
    ).toBe("Hi John, I'm Sarah from Acme Bank.");
  });

  it("allows spaces inside the braces and repeats", () => {
    expect(fillVariables("{{ customer.firstName }} / {{customer.firstName}}", context)).toBe("John / John");
  });

  it("leaves unknown variables as written", () => {
    expect(fillVariables("Dear {{customer.title}} {{customer.name}}, {{ Agent.name }}", context)).toBe(
      "Dear {{customer.title}} John  Doe, {{ Agent.name }}",
    );
  });

  it("turns missing values into empty strings", () => {
    expect(fillVariables("Hi {{customer.firstName}}! #{{conversation.number}} {{tenant.name}}", {})).toBe(
      "Hi ! # ",
    );
    expect(
      fillVariables("{{customer.email}}|{{agent.firstName}}", {
        customer: { name: "Jane", email: null },
        agent: null,
      }),
    ).toBe("|");
    expect(variableValues({ conversation: { number: 0 } })["conversation.number"]).toBe("0");
  });

  it("does not fill variables found inside inserted values", () => {
    expect(
      fillVariables("Hi {{customer.name}}", { customer: { name: "{{agent.name}}" }, agent: { name: "X" } }),
    ).toBe("Hi {{agent.name}}");
  });

  it("leaves text without variables, and stray braces, alone", () => {
    expect(fillVariables("Plain {text} {{ and }} {{", context)).toBe("Plain {text} {{ and }} {{");
  });

  it("names the unknown variables, each once", () => {
    expect(unknownVariables("Hi {{customer.firstName}}")).toEqual([]);
    expect(unknownVariables("{{x}} {{ customer.firstname }} {{x}} {{}} {{tenant.name}}")).toEqual([
      "{{x}}",
      "{{ customer.firstname }}",
      "{{}}",
    ]);
  });
});
