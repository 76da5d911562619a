/**
 * Fields for two of labtrail's settings in JupyterLab's Settings Editor form (rjsf fields, through
 * IFormRendererRegistry): the header template is several lines, so it gets a multi-line box; the
 * required header fields get a labelled group of checkboxes instead of rjsf's unlabelled list box.
 * A custom field draws its own label, as JupyterLab's template leaves it out for custom fields.
 */
import type { FieldProps } from "@rjsf/utils";
import { HEADER_KEY_LABELS, HEADER_KEYS, type HeaderKey } from "labtrail/core";
import * as React from "react";

/** The header template: a textarea about as tall as the template, with room to grow. */
export function HeaderTemplateField(props: FieldProps): React.ReactElement {
  const value = typeof props.formData === "string" ? props.formData : "";
  const id = props.idSchema.$id;
  const rows = Math.max(4, value.split("\n").length + 1);
  return (
    <div className="jp-FormGroup-content jp-FormGroup-contentNormal">
      <label htmlFor={id} className="jp-FormGroup-fieldLabel jp-FormGroup-contentItem lt-SettingsLabel">
        {props.schema.title}
      </label>
      <textarea
        id={id}
        className="form-control lt-SettingsTemplate"
        rows={rows}
        spellCheck={false}
        value={value}
        disabled={props.disabled || props.readonly}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  );
}

/** The required header fields: one checkbox per header key, in the keys' order, under the field's title. */
export function RequiredFieldsField(props: FieldProps): React.ReactElement {
  const chosen = new Set<string>(Array.isArray(props.formData) ? props.formData : []);
  const id = props.idSchema.$id;
  const toggle = (key: HeaderKey, on: boolean) => props.onChange(HEADER_KEYS.filter((k) => (k === key ? on : chosen.has(k))));
  return (
    <div className="jp-FormGroup-content jp-FormGroup-contentNormal">
      <fieldset id={id} className="lt-SettingsRequiredFields">
        <legend className="jp-FormGroup-fieldLabel lt-SettingsLabel">{props.schema.title}</legend>
        {HEADER_KEYS.map((key) => (
          <label key={key}>
            <input
              type="checkbox"
              name={`${id}-${key}`}
              checked={chosen.has(key)}
              disabled={props.disabled || props.readonly}
              onChange={(event) => toggle(key, event.target.checked)}
            />
            {HEADER_KEY_LABELS[key]}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
