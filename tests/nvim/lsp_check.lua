-- A real editor against `glossator lsp`: Neovim 0.7's built-in client,
-- run headless by .ci/run on a copy of tests/fixtures/basic.
--
--   GLOSSATOR_BIN=target/release/glossator GLOSSATOR_EDITION=/tmp/basic \
--     nvim --headless -u NONE -c "luafile tests/nvim/lsp_check.lua"
--
-- Opens a part, and checks a completion item, a definition location and a
-- published diagnostic. Exits non-zero when any of them is wrong.

local bin = assert(os.getenv("GLOSSATOR_BIN"), "set GLOSSATOR_BIN")
local root = assert(os.getenv("GLOSSATOR_EDITION"), "set GLOSSATOR_EDITION")
local WAIT_MS = 10000

local function fail(message)
  io.stderr:write("nvim lsp check: FAIL: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function ok(message)
  io.stdout:write("nvim lsp check: ok: " .. message .. "\n")
end

local client_id = vim.lsp.start_client({
  name = "glossator",
  cmd = { bin, "lsp", root },
  root_dir = root,
})
if not client_id then
  fail("the client did not start")
end

vim.cmd("edit " .. root .. "/content/01-beginnings.md")
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local client = vim.lsp.get_client_by_id(client_id)
if not vim.wait(WAIT_MS, function() return client.initialized end, 20) then
  fail("the server did not initialize")
end

-- The 0-based line and UTF-16 column just after the first `marker`.
local function after(marker)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s, e = line:find(marker, 1, true)
    if s then
      return { line = i - 1, character = vim.str_utfindex(line, e) }
    end
  end
  fail("no " .. marker .. " in the buffer")
end

local function request(method, position)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position }
  local response, err = client.request_sync(method, params, WAIT_MS, buf)
  if not response then
    fail(method .. ": no answer (" .. tostring(err) .. ")")
  end
  if response.err then
    fail(method .. ": " .. vim.inspect(response.err))
  end
  return response.result
end

-- Completion after `](person:`, typed into the buffer.
vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "", "Then [he](person:" })
local items = request("textDocument/completion", after("[he](person:"))
items = items.items or items
local found = false
for _, item in ipairs(items) do
  if item.label == "crocker" and item.detail == "Ryan Crocker" then
    found = true
  end
end
if not found then
  fail("no completion item `crocker` (Ryan Crocker): " .. vim.inspect(items))
end
ok("completion offers person:crocker")

-- Definition of a mention: the person's own file.
local def = request("textDocument/definition", after("[Ryan Crocker](person:cro"))
if def and def[1] then
  def = def[1]
end
if not (def and def.uri and def.uri:match("/content/people/crocker%.md$")) then
  fail("definition of person:crocker: " .. vim.inspect(def))
end
ok("definition is content/people/crocker.md")

-- A diagnostic for an unknown ID, published from the unsaved text.
vim.api.nvim_buf_set_lines(buf, -2, -1, false, { "Then [he](person:nobody) left." })
local function unknown_id()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.message:find("nobody", 1, true) then
      return d
    end
  end
end
if not vim.wait(WAIT_MS, unknown_id, 20) then
  fail("no diagnostic for person:nobody: " .. vim.inspect(vim.diagnostic.get(buf)))
end
local line = vim.api.nvim_buf_line_count(buf) - 1
if unknown_id().lnum ~= line then
  fail("the diagnostic is on line " .. unknown_id().lnum .. ", not " .. line)
end
ok("diagnostic published: " .. unknown_id().message:gsub("\n.*", ""))

client.stop()
vim.wait(WAIT_MS, function() return client.is_stopped() end, 20)
vim.cmd("qall!")
