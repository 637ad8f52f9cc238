import "./ui/theme.css";
import "./ui/controls.css";
import "./ui/surfaces.css";
import "./ui/overlays.css";
import "./shell/shell.css";
import "./admin/admin.css";
import "./chat/chat.css";
import "./chat/composer.css";
import "./chat/layout.css";
import "./console/console.css";
import "./widget/widget.css";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { App } from "./app";
import { createQueryClient } from "./lib/query-client";
import { applyStoredTheme } from "./lib/theme";
import { ToastProvider } from "./ui";

applyStoredTheme();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <BrowserRouter>
        <ToastProvider>
          <App />
        </ToastProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
