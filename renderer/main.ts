// Entry point: find the ConsoleApi (Electron preload or WebSocket) and mount the console.
import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import App from './App.svelte';
import { resolveConsoleApi } from './lib/api-source.js';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element to mount the console in.');

const { api, connection } = resolveConsoleApi(window);
mount(App, { target, props: { api, connection } });
