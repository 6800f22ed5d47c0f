// Drag and drop of node chips between partition groups, as Svelte attachments. Clicking chips and
// "move here" does the same from the keyboard; dragging is the shortcut for the mouse.

import type { Attachment } from 'svelte/attachments';

const NODE_TYPE = 'application/x-raftdesk-node';

export function draggableNode(id: string): Attachment<HTMLElement> {
  return (element) => {
    element.draggable = true;
    const start = (event: DragEvent) => {
      event.dataTransfer?.setData(NODE_TYPE, id);
      if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
    };
    element.addEventListener('dragstart', start);
    return () => element.removeEventListener('dragstart', start);
  };
}

/** Calls onDrop with the node id dropped on the element; marks the element while a node hovers. */
export function nodeDropTarget(onDrop: (id: string) => void): Attachment<HTMLElement> {
  return (element) => {
    const carriesNode = (event: DragEvent) => event.dataTransfer?.types.includes(NODE_TYPE) ?? false;
    const over = (event: DragEvent) => {
      if (!carriesNode(event)) return;
      event.preventDefault();
      element.classList.add('drag-over');
    };
    const leave = () => element.classList.remove('drag-over');
    const drop = (event: DragEvent) => {
      leave();
      const id = event.dataTransfer?.getData(NODE_TYPE);
      if (!id) return;
      event.preventDefault();
      onDrop(id);
    };
    element.addEventListener('dragover', over);
    element.addEventListener('dragleave', leave);
    element.addEventListener('drop', drop);
    return () => {
      element.removeEventListener('dragover', over);
      element.removeEventListener('dragleave', leave);
      element.removeEventListener('drop', drop);
    };
  };
}
