import { Field, Select, type SelectOption } from "../ui";

/** A labelled drop-down whose choice comes back as the chosen option's value. */
export function SelectField({
  label,
  options,
  value,
  onChange,
  testId,
  placeholder,
  disabled,
}: {
  label: string;
  options: readonly SelectOption[];
  value: string;
  onChange: (value: string) => void;
  testId: string;
  /** A first, empty choice such as "Any". */
  placeholder?: string;
  disabled?: boolean;
}) {
  return (
    <Field label={label}>
      {(p) => (
        <Select
          {...p}
          options={options}
          placeholder={placeholder}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      )}
    </Field>
  );
}
