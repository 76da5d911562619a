/** The Experiment Log's icon in the right sidebar: a list with a check mark, in the theme's icon colour. */
import { LabIcon } from "@jupyterlab/ui-components";

const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M3 5h11v2H3zM3 11h11v2H3zM3 17h7v2H3z"/>
    <path d="M15.6 17.2l-2.1-2.1-1.4 1.4 3.5 3.5 6.4-6.4-1.4-1.4z"/>
    <circle cx="19" cy="6" r="2.2"/>
  </g>
</svg>`;

export const experimentLogIcon = new LabIcon({ name: "labtrail:experiment-log", svgstr });
