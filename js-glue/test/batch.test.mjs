// Batches: 100 batches of 10 corpus text documents, arena_reset between batches (through the
// `exports` escape hatch); memory must stop growing after the first batch.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { corpusText, corpusTextNames, loadPith } from '../testing/helpers.mjs'

test('100 batches of 10 documents keep memory.buffer.byteLength constant', async () => {
  const pith = await loadPith()
  const x = pith.exports
  const names = corpusTextNames()
  const docs = Array.from({ length: 10 }, (_, i) => corpusText(names[i % names.length]))
  let size, live
  for (let batch = 0; batch < 100; batch++) {
    for (const [i, doc] of docs.entries()) {
      const { content } = pith.extract(doc)
      let streamed = ''
      for await (const rec of pith.stream(doc, { chunkSize: 512 })) if (rec.type === 'text') streamed += rec.text
      assert.ok(content.length > 0, names[i % names.length])
      assert.equal(streamed, content)
    }
    assert.equal(x.arena_reset(), 0)
    if (batch === 0) {
      size = x.memory.buffer.byteLength
      live = x.heap_live()
    } else {
      assert.equal(x.memory.buffer.byteLength, size, `memory grew in batch ${batch}`)
      assert.equal(x.heap_live(), live, `heap_live after batch ${batch}`)
    }
  }
  console.log(`batches: memory ${size} B, heap_live after arena_reset ${live} B`)
})
