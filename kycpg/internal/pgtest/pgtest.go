// Package pgtest runs the tests of kycpg against a real PostgreSQL server:
// the one KYCPG_TEST_DATABASE_URL names, or a throwaway one it starts from
// the PostgreSQL binaries of the machine (initdb, pg_ctl) in a temporary
// folder, with fsync off, listening on a free 127.0.0.1 port and a unix
// socket in that folder, and removes afterwards.
package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// EnvURL is the variable naming an existing server to test against.
const EnvURL = "KYCPG_TEST_DATABASE_URL"

// Install says how to get the binaries the harness needs.
const Install = "the kycpg tests need a PostgreSQL server: set " + EnvURL +
	" to a database URL, or install the server binaries (Debian/Ubuntu: apt-get install -y postgresql; " +
	"they are looked for in /usr/lib/postgresql/*/bin and in `pg_config --bindir`)"

// Server is a throwaway PostgreSQL server.
type Server struct {
	// URL connects to it as its superuser, over TCP.
	URL  string
	bin  string
	dir  string
	data string
	port int
	asPG bool // run the binaries as the postgres user (the process is root)
}

// URL returns the URL of the server to test against: KYCPG_TEST_DATABASE_URL
// when set (stop is then a no-op), otherwise a server it starts.
func URL() (url string, stop func(), err error) {
	if u := os.Getenv(EnvURL); u != "" {
		return u, func() {}, nil
	}
	s, err := Start()
	if err != nil {
		return "", nil, err
	}
	return s.URL, func() { _ = s.Remove() }, nil
}

// BinDir finds the folder of initdb and pg_ctl.
func BinDir() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return version(matches[i]) > version(matches[j]) })
	for _, m := range matches {
		return filepath.Dir(m), nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New(Install)
}

func version(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

// Start initialises and starts a new server in a temporary folder.
func Start() (*Server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kycpg-test-")
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, dir: dir, data: filepath.Join(dir, "data"), asPG: os.Geteuid() == 0}
	if s.asPG { // initdb refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, and there is no postgres user to run initdb as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	if out, err := s.run("initdb", "-D", s.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "-N"); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	if err := s.Restart(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// Restart starts the server again (on the same port) after Stop or Kill.
func (s *Server) Restart() error {
	if s.port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		s.port = l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	}
	opts := fmt.Sprintf("-F -p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", s.port, s.dir)
	if out, err := s.run("pg_ctl", "start", "-w", "-t", "60", "-D", s.data, "-l", filepath.Join(s.dir, "log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return fmt.Errorf("pg_ctl start: %w: %s%s", err, out, log)
	}
	return nil
}

// Kill stops the server at once, as a crash would (pg_ctl stop -m immediate).
func (s *Server) Kill() error { return s.stop("immediate") }

// Stop stops the server cleanly.
func (s *Server) Stop() error { return s.stop("fast") }

func (s *Server) stop(mode string) error {
	if out, err := s.run("pg_ctl", "stop", "-w", "-m", mode, "-D", s.data); err != nil {
		return fmt.Errorf("pg_ctl stop: %w: %s", err, out)
	}
	return nil
}

// Remove stops the server and deletes its folder.
func (s *Server) Remove() error {
	err := s.Stop()
	return errors.Join(err, os.RemoveAll(s.dir))
}

func (s *Server) run(name string, args ...string) ([]byte, error) {
	path := filepath.Join(s.bin, name)
	var cmd *exec.Cmd
	if s.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = s.dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		return out.Bytes(), errors.New("timed out")
	}
}
