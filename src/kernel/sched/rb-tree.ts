/**
 * A red-black tree with the leftmost node cached (Linux's rb_root_cached, lib/rbtree.c),
 * as CFS keys its run queue by vruntime: insert and remove are O(log n), the minimum is
 * O(1). The algorithm is CLRS chapter 13's with null leaves; `compare` orders the items
 * and must never call two distinct items equal (CFS breaks vruntime ties by sequence).
 */
export class RbNode<T> {
  left: RbNode<T> | null = null;
  right: RbNode<T> | null = null;
  parent: RbNode<T> | null = null;
  red = true;
  constructor(readonly item: T) {}
}

export class RbTree<T> {
  private root: RbNode<T> | null = null;
  /** The cached minimum (rb_leftmost). */
  leftmost: RbNode<T> | null = null;
  size = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  insert(item: T): RbNode<T> {
    const node = new RbNode(item);
    let parent: RbNode<T> | null = null;
    let link = this.root;
    let isLeftmost = true;
    while (link !== null) {
      parent = link;
      if (this.compare(item, link.item) < 0) link = link.left;
      else { link = link.right; isLeftmost = false; }
    }
    node.parent = parent;
    if (parent === null) this.root = node;
    else if (this.compare(item, parent.item) < 0) parent.left = node;
    else parent.right = node;
    if (isLeftmost) this.leftmost = node;
    this.size++;
    this.insertFixup(node);
    return node;
  }

  remove(node: RbNode<T>): void {
    if (this.leftmost === node) this.leftmost = this.next(node);
    this.size--;
    let removedRed = node.red;
    let child: RbNode<T> | null;
    let childParent: RbNode<T> | null;
    if (node.left === null) {
      child = node.right;
      childParent = node.parent;
      this.transplant(node, node.right);
    } else if (node.right === null) {
      child = node.left;
      childParent = node.parent;
      this.transplant(node, node.left);
    } else {
      let successor = node.right;
      while (successor.left !== null) successor = successor.left;
      removedRed = successor.red;
      child = successor.right;
      if (successor.parent === node) {
        childParent = successor;
      } else {
        childParent = successor.parent;
        this.transplant(successor, successor.right);
        successor.right = node.right;
        successor.right.parent = successor;
      }
      this.transplant(node, successor);
      successor.left = node.left;
      successor.left.parent = successor;
      successor.red = node.red;
    }
    node.left = node.right = node.parent = null;
    if (!removedRed) this.removeFixup(child, childParent);
  }

  /** The in-order successor (rb_next). */
  next(node: RbNode<T>): RbNode<T> | null {
    if (node.right !== null) {
      let n = node.right;
      while (n.left !== null) n = n.left;
      return n;
    }
    let n = node;
    while (n.parent !== null && n === n.parent.right) n = n.parent;
    return n.parent;
  }

  /** All items in order. */
  items(): T[] {
    const out: T[] = [];
    for (let n = this.leftmost; n !== null; n = this.next(n)) out.push(n.item);
    return out;
  }

  /** Checks the red-black invariants (tests): returns the black height, throws on a violation. */
  verify(): number {
    const walk = (node: RbNode<T> | null): number => {
      if (node === null) return 1;
      if (node.red && ((node.left?.red ?? false) || (node.right?.red ?? false))) throw new Error('red node with a red child');
      if (node.left && this.compare(node.left.item, node.item) >= 0) throw new Error('order');
      if (node.right && this.compare(node.right.item, node.item) <= 0) throw new Error('order');
      const left = walk(node.left);
      if (left !== walk(node.right)) throw new Error('black heights differ');
      return left + (node.red ? 0 : 1);
    };
    if (this.root?.red) throw new Error('red root');
    let minimum = this.root;
    while (minimum?.left) minimum = minimum.left;
    if (minimum !== this.leftmost) throw new Error('stale leftmost cache');
    return walk(this.root);
  }

  clear(): void { this.root = this.leftmost = null; this.size = 0; }

  private transplant(node: RbNode<T>, replacement: RbNode<T> | null): void {
    if (node.parent === null) this.root = replacement;
    else if (node === node.parent.left) node.parent.left = replacement;
    else node.parent.right = replacement;
    if (replacement !== null) replacement.parent = node.parent;
  }

  private rotateLeft(x: RbNode<T>): void {
    const y = x.right!;
    x.right = y.left;
    if (y.left !== null) y.left.parent = x;
    this.transplant(x, y);
    y.left = x;
    x.parent = y;
  }

  private rotateRight(x: RbNode<T>): void {
    const y = x.left!;
    x.left = y.right;
    if (y.right !== null) y.right.parent = x;
    this.transplant(x, y);
    y.right = x;
    x.parent = y;
  }

  private insertFixup(inserted: RbNode<T>): void {
    let node = inserted;
    while (node.parent?.red) {
      const parent = node.parent;
      const grandparent = parent.parent!;
      if (parent === grandparent.left) {
        const uncle = grandparent.right;
        if (uncle?.red) { parent.red = false; uncle.red = false; grandparent.red = true; node = grandparent; continue; }
        if (node === parent.right) { node = parent; this.rotateLeft(node); }
        node.parent!.red = false;
        grandparent.red = true;
        this.rotateRight(grandparent);
      } else {
        const uncle = grandparent.left;
        if (uncle?.red) { parent.red = false; uncle.red = false; grandparent.red = true; node = grandparent; continue; }
        if (node === parent.left) { node = parent; this.rotateRight(node); }
        node.parent!.red = false;
        grandparent.red = true;
        this.rotateLeft(grandparent);
      }
    }
    this.root!.red = false;
  }

  private removeFixup(start: RbNode<T> | null, startParent: RbNode<T> | null): void {
    let node = start;
    let parent = startParent;
    while (node !== this.root && !(node?.red ?? false) && parent !== null) {
      if (node === parent.left) {
        let sibling = parent.right!;
        if (sibling.red) { sibling.red = false; parent.red = true; this.rotateLeft(parent); sibling = parent.right!; }
        if (!(sibling.left?.red ?? false) && !(sibling.right?.red ?? false)) {
          sibling.red = true;
          node = parent;
          parent = node.parent;
        } else {
          if (!(sibling.right?.red ?? false)) { sibling.left!.red = false; sibling.red = true; this.rotateRight(sibling); sibling = parent.right!; }
          sibling.red = parent.red;
          parent.red = false;
          sibling.right!.red = false;
          this.rotateLeft(parent);
          node = this.root;
          parent = null;
        }
      } else {
        let sibling = parent.left!;
        if (sibling.red) { sibling.red = false; parent.red = true; this.rotateRight(parent); sibling = parent.left!; }
        if (!(sibling.left?.red ?? false) && !(sibling.right?.red ?? false)) {
          sibling.red = true;
          node = parent;
          parent = node.parent;
        } else {
          if (!(sibling.left?.red ?? false)) { sibling.right!.red = false; sibling.red = true; this.rotateLeft(sibling); sibling = parent.left!; }
          sibling.red = parent.red;
          parent.red = false;
          sibling.left!.red = false;
          this.rotateRight(parent);
          node = this.root;
          parent = null;
        }
      }
    }
    if (node !== null) node.red = false;
  }
}
