// vitrine — search without a server. Loads the static export of the tantivy index
// (recherche/index/, see src/search/export.rs) shard by shard and answers exactly as
// `vitrine search`: same analysis (lower case, accent folding, Snowball French stemmer),
// same terms per word (AND, prefix on the last word, one typo in long words), same BM25
// in single precision, same order. No dependency, no framework.
'use strict';

// ---------------------------------------------------------------- analysis
// Snowball French, transcribed from tantivy's stemmer (frostem) by
// scripts/french-stemmer-js.py. Works on folded (ASCII) words, as the index does.
class SnowballEnv {
  constructor(s) {
    this.current = s; this.cursor = 0; this.limit = s.length;
    this.limit_backward = 0; this.bra = 0; this.ket = s.length;
  }
  byte(i) { return this.current.charCodeAt(i); }
  replace_s(bra, ket, s) {
    const adj = s.length - (ket - bra);
    this.current = this.current.slice(0, bra) + s + this.current.slice(ket);
    this.limit += adj;
    if (this.cursor >= ket) this.cursor += adj; else if (this.cursor > bra) this.cursor = bra;
    return adj;
  }
  slice_from(s) { this.replace_s(this.bra, this.ket, s); this.ket = this.bra + s.length; }
  slice_del() { this.slice_from(''); }
  eq_s(s) {
    if (this.cursor >= this.limit || !this.current.startsWith(s, this.cursor)) return false;
    this.cursor += s.length; return true;
  }
  eq_s_b(s) {
    if (this.cursor - this.limit_backward < s.length) return false;
    if (!this.current.startsWith(s, this.cursor - s.length)) return false;
    this.cursor -= s.length; return true;
  }
  next_char() { this.cursor++; }
  previous_char() { this.cursor--; }
  static ing(g, min, max, ch) {
    if (ch > max || ch < min) return false;
    ch -= min; return (g[ch >> 3] & (1 << (ch & 7))) !== 0;
  }
  in_grouping(g, min, max) {
    if (this.cursor >= this.limit || !SnowballEnv.ing(g, min, max, this.byte(this.cursor))) return false;
    this.cursor++; return true;
  }
  go_in_grouping(g, min, max) {
    while (this.cursor < this.limit) {
      if (!SnowballEnv.ing(g, min, max, this.byte(this.cursor))) return true;
      this.cursor++;
    }
    return false;
  }
  go_out_grouping(g, min, max) {
    while (this.cursor < this.limit) {
      if (SnowballEnv.ing(g, min, max, this.byte(this.cursor))) return true;
      this.cursor++;
    }
    return false;
  }
  in_grouping_b(g, min, max) {
    if (this.cursor <= this.limit_backward || !SnowballEnv.ing(g, min, max, this.byte(this.cursor - 1))) return false;
    this.cursor--; return true;
  }
  out_grouping_b(g, min, max) {
    if (this.cursor <= this.limit_backward || SnowballEnv.ing(g, min, max, this.byte(this.cursor - 1))) return false;
    this.cursor--; return true;
  }
  // Longest entry matching at the cursor (what Snowball's among search finds).
  find_among(a) {
    let best = null;
    for (const w of a) {
      if ((!best || w[0].length > best[0].length) && this.cursor + w[0].length <= this.limit &&
        this.current.startsWith(w[0], this.cursor)) best = w;
    }
    if (!best) return 0;
    this.cursor += best[0].length; return best[1];
  }
  find_among_b(a) {
    let best = null;
    for (const w of a) {
      if ((!best || w[0].length > best[0].length) && this.cursor - w[0].length >= this.limit_backward &&
        this.current.startsWith(w[0], this.cursor - w[0].length)) best = w;
    }
    if (!best) return 0;
    this.cursor -= best[0].length; return best[1];
  }
}

// @generated-stemmer-begin
const A_0 = [["col", -1], ["ni", 1], ["par", -1], ["tap", -1]];
const A_1 = [["", 7], ["H", 6], ["He", 4], ["Hi", 5], ["I", 1], ["U", 2], ["Y", 3]];
const A_2 = [["iqU", 3], ["abl", 3], ["Ièr", 4], ["ièr", 4], ["eus", 2], ["iv", 1]];
const A_3 = [["ic", 2], ["abil", 1], ["iv", 3]];
const A_4 = [["iqUe", 1], ["atrice", 2], ["ance", 1], ["ence", 5], ["logie", 3], ["able", 1], ["isme", 1], ["euse", 12], ["iste", 1], ["ive", 8], ["if", 8], ["usion", 4], ["ation", 2], ["ution", 4], ["ateur", 2], ["iqUes", 1], ["atrices", 2], ["ances", 1], ["ences", 5], ["logies", 3], ["ables", 1], ["ismes", 1], ["euses", 12], ["istes", 1], ["ives", 8], ["ifs", 8], ["usions", 4], ["ations", 2], ["utions", 4], ["ateurs", 2], ["ments", 16], ["ements", 6], ["issements", 13], ["ités", 7], ["ment", 16], ["ement", 6], ["issement", 13], ["amment", 14], ["emment", 15], ["aux", 10], ["eaux", 9], ["eux", 1], ["oux", 11], ["ité", 7]];
const A_5 = [["ira", 1], ["ie", 1], ["isse", 1], ["issante", 1], ["i", 1], ["irai", 1], ["ir", 1], ["iras", 1], ["ies", 1], ["îmes", 1], ["isses", 1], ["issantes", 1], ["îtes", 1], ["is", 1], ["irais", 1], ["issais", 1], ["irions", 1], ["issions", 1], ["irons", 1], ["issons", 1], ["issants", 1], ["it", 1], ["irait", 1], ["issait", 1], ["issant", 1], ["iraIent", 1], ["issaIent", 1], ["irent", 1], ["issent", 1], ["iront", 1], ["ît", 1], ["iriez", 1], ["issiez", 1], ["irez", 1], ["issez", 1]];
const A_6 = [["al", 1], ["épl", -1], ["auv", -1]];
const A_7 = [["a", 3], ["era", 2], ["aise", 4], ["asse", 3], ["ante", 3], ["ée", 2], ["ai", 3], ["erai", 2], ["er", 2], ["as", 3], ["eras", 2], ["âmes", 3], ["aises", 4], ["asses", 3], ["antes", 3], ["âtes", 3], ["ées", 2], ["ais", 4], ["eais", 2], ["erais", 2], ["ions", 1], ["erions", 2], ["assions", 3], ["erons", 2], ["ants", 3], ["és", 2], ["ait", 3], ["erait", 2], ["ant", 3], ["aIent", 3], ["eraIent", 2], ["èrent", 2], ["assent", 3], ["eront", 2], ["ât", 3], ["ez", 2], ["iez", 2], ["eriez", 2], ["assiez", 3], ["erez", 2], ["é", 2]];
const A_8 = [["e", 3], ["Ière", 2], ["ière", 2], ["ion", 1], ["Ier", 2], ["ier", 2]];
const A_9 = [["ell", -1], ["eill", -1], ["enn", -1], ["onn", -1], ["ett", -1]];
const G_v = [17, 65, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 130, 103, 8, 5];
const G_oux_ending = [65, 85];
const G_elision_char = [131, 14, 131];
const G_keep_with_s = [1, 65, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128];
function frenchStem(env) {
    let among_var;
  let i_p2;
  let i_p1;
  let i_pV;
  let v_1 = env.cursor;
  lab0: while (true) {
    env.bra = env.cursor;
    lab1: while (true) {
      lab2: while (true) {
        if (!env.in_grouping(G_elision_char, 99, 122)) {
          break lab2;
        }
        break lab1;
      }
      if (!env.eq_s("qu")) {
        break lab0;
      }
      break lab1;
    }
    if (!env.eq_s("'")) {
      break lab0;
    }
    env.ket = env.cursor;
    if (env.cursor >= env.limit) {
      break lab0;
    }
    env.slice_del();
    break lab0;
  }
  env.cursor = v_1;
  let v_2 = env.cursor;
  lab3: while (true) {
    replab4: while (true) {
      let v_3 = env.cursor;
      lab5: for (let _once = 0; _once < 1; _once++) {
        golab6: while (true) {
          let v_4 = env.cursor;
          lab7: while (true) {
            lab8: while (true) {
              let v_5 = env.cursor;
              lab9: while (true) {
                if (!env.in_grouping(G_v, 97, 251)) {
                  break lab9;
                }
                env.bra = env.cursor;
                lab10: while (true) {
                  let v_6 = env.cursor;
                  lab11: while (true) {
                    if (!env.eq_s("u")) {
                      break lab11;
                    }
                    env.ket = env.cursor;
                    if (!env.in_grouping(G_v, 97, 251)) {
                      break lab11;
                    }
                    env.slice_from("U");
                    break lab10;
                  }
                  env.cursor = v_6;
                  lab12: while (true) {
                    if (!env.eq_s("i")) {
                      break lab12;
                    }
                    env.ket = env.cursor;
                    if (!env.in_grouping(G_v, 97, 251)) {
                      break lab12;
                    }
                    env.slice_from("I");
                    break lab10;
                  }
                  env.cursor = v_6;
                  if (!env.eq_s("y")) {
                    break lab9;
                  }
                  env.ket = env.cursor;
                  env.slice_from("Y");
                  break lab10;
                }
                break lab8;
              }
              env.cursor = v_5;
              lab13: while (true) {
                env.bra = env.cursor;
                if (!env.eq_s("ë")) {
                  break lab13;
                }
                env.ket = env.cursor;
                env.slice_from("He");
                break lab8;
              }
              env.cursor = v_5;
              lab14: while (true) {
                env.bra = env.cursor;
                if (!env.eq_s("ï")) {
                  break lab14;
                }
                env.ket = env.cursor;
                env.slice_from("Hi");
                break lab8;
              }
              env.cursor = v_5;
              lab15: while (true) {
                env.bra = env.cursor;
                if (!env.eq_s("y")) {
                  break lab15;
                }
                env.ket = env.cursor;
                if (!env.in_grouping(G_v, 97, 251)) {
                  break lab15;
                }
                env.slice_from("Y");
                break lab8;
              }
              env.cursor = v_5;
              if (!env.eq_s("q")) {
                break lab7;
              }
              env.bra = env.cursor;
              if (!env.eq_s("u")) {
                break lab7;
              }
              env.ket = env.cursor;
              env.slice_from("U");
              break lab8;
            }
            env.cursor = v_4;
            break golab6;
          }
          env.cursor = v_4;
          if (env.cursor >= env.limit) {
            break lab5;
          }
          env.next_char();
        }
        continue replab4;
      }
      env.cursor = v_3;
      break replab4;
    }
    break lab3;
  }
  env.cursor = v_2;
  lab16: while (true) {
    i_pV = env.limit;
    i_p1 = env.limit;
    i_p2 = env.limit;
    let v_7 = env.cursor;
    lab17: while (true) {
      lab18: while (true) {
        let v_8 = env.cursor;
        lab19: while (true) {
          if (!env.in_grouping(G_v, 97, 251)) {
            break lab19;
          }
          if (!env.in_grouping(G_v, 97, 251)) {
            break lab19;
          }
          if (env.cursor >= env.limit) {
            break lab19;
          }
          env.next_char();
          break lab18;
        }
        env.cursor = v_8;
        lab20: while (true) {
          if ((env.cursor + 1 >= env.limit || env.byte(env.cursor + 1) >> 5 != 3 || ((33282 >> (env.byte(env.cursor + 1) & 0x1f)) & 1) == 0)) {
            break lab20;
          }

          among_var = env.find_among(A_0);
          if (among_var == 0) {
            break lab20;
          }
          switch (among_var) {
            case 1: {
              if (!env.in_grouping(G_v, 97, 251)) {
                break lab20;
              }
            } break;
            default: break;
          }
          break lab18;
        }
        env.cursor = v_8;
        if (env.cursor >= env.limit) {
          break lab17;
        }
        env.next_char();
        if (!env.go_out_grouping(G_v, 97, 251)) {
          break lab17;
        }
        env.next_char();
        break lab18;
      }
      i_pV = env.cursor;
      break lab17;
    }
    env.cursor = v_7;
    let v_9 = env.cursor;
    lab21: while (true) {
      if (!env.go_out_grouping(G_v, 97, 251)) {
        break lab21;
      }
      env.next_char();
      if (!env.go_in_grouping(G_v, 97, 251)) {
        break lab21;
      }
      env.next_char();
      i_p1 = env.cursor;
      if (!env.go_out_grouping(G_v, 97, 251)) {
        break lab21;
      }
      env.next_char();
      if (!env.go_in_grouping(G_v, 97, 251)) {
        break lab21;
      }
      env.next_char();
      i_p2 = env.cursor;
      break lab21;
    }
    env.cursor = v_9;
    break lab16;
  }
  env.limit_backward = env.cursor;
  env.cursor = env.limit;
  let v_10 = env.limit - env.cursor;
  lab22: while (true) {
    lab23: while (true) {
      let v_11 = env.limit - env.cursor;
      lab24: while (true) {
        let v_12 = env.limit - env.cursor;
        lab25: while (true) {
          let v_13 = env.limit - env.cursor;
          lab26: while (true) {
            env.ket = env.cursor;
            among_var = env.find_among_b(A_4);
            if (among_var == 0) {
              break lab26;
            }
            env.bra = env.cursor;
            switch (among_var) {
              case 1: {
                if (i_p2 > env.cursor) {
                  break lab26;
                }
                env.slice_del();
              } break;
              case 2: {
                if (i_p2 > env.cursor) {
                  break lab26;
                }
                env.slice_del();
                let v_14 = env.limit - env.cursor;
                lab27: while (true) {
                  env.ket = env.cursor;
                  if (!env.eq_s_b("ic")) {
                    env.cursor = env.limit - v_14;
                    break lab27;
                  }
                  env.bra = env.cursor;
                  lab28: while (true) {
                    let v_15 = env.limit - env.cursor;
                    lab29: while (true) {
                      if (i_p2 > env.cursor) {
                        break lab29;
                      }
                      env.slice_del();
                      break lab28;
                    }
                    env.cursor = env.limit - v_15;
                    env.slice_from("iqU");
                    break lab28;
                  }
                  break lab27;
                }
              } break;
              case 3: {
                if (i_p2 > env.cursor) {
                  break lab26;
                }
                env.slice_from("log");
              } break;
              case 4: {
                if (i_p2 > env.cursor) {
                  break lab26;
                }
                env.slice_from("u");
              } break;
              case 5: {
                if (i_p2 > env.cursor) {
                  break lab26;
                }
                env.slice_from("ent");
              } break;
              case 6: {
                if (i_pV > env.cursor) {
                  break lab26;
                }
                env.slice_del();
                let v_16 = env.limit - env.cursor;
                lab30: while (true) {
                  env.ket = env.cursor;
                  among_var = env.find_among_b(A_2);
                  if (among_var == 0) {
                    env.cursor = env.limit - v_16;
                    break lab30;
                  }
                  env.bra = env.cursor;
                  switch (among_var) {
                    case 1: {
                      if (i_p2 > env.cursor) {
                        env.cursor = env.limit - v_16;
                        break lab30;
                      }
                      env.slice_del();
                      env.ket = env.cursor;
                      if (!env.eq_s_b("at")) {
                        env.cursor = env.limit - v_16;
                        break lab30;
                      }
                      env.bra = env.cursor;
                      if (i_p2 > env.cursor) {
                        env.cursor = env.limit - v_16;
                        break lab30;
                      }
                      env.slice_del();
                    } break;
                    case 2: {
                      lab31: while (true) {
                        let v_17 = env.limit - env.cursor;
                        lab32: while (true) {
                          if (i_p2 > env.cursor) {
                            break lab32;
                          }
                          env.slice_del();
                          break lab31;
                        }
                        env.cursor = env.limit - v_17;
                        if (i_p1 > env.cursor) {
                          env.cursor = env.limit - v_16;
                          break lab30;
                        }
                        env.slice_from("eux");
                        break lab31;
                      }
                    } break;
                    case 3: {
                      if (i_p2 > env.cursor) {
                        env.cursor = env.limit - v_16;
                        break lab30;
                      }
                      env.slice_del();
                    } break;
                    case 4: {
                      if (i_pV > env.cursor) {
                        env.cursor = env.limit - v_16;
                        break lab30;
                      }
                      env.slice_from("i");
                    } break;
                    default: break;
                  }
                  break lab30;
                }
              } break;
              case 7: {
                if (i_p2 > env.cursor) {
                  break lab26;
                }
                env.slice_del();
                let v_18 = env.limit - env.cursor;
                lab33: while (true) {
                  env.ket = env.cursor;
                  if ((env.cursor - 1 <= env.limit_backward || env.byte(env.cursor - 1) >> 5 != 3 || ((4198408 >> (env.byte(env.cursor - 1) & 0x1f)) & 1) == 0)) {
                    env.cursor = env.limit - v_18;
                    break lab33;
                  }

                  among_var = env.find_among_b(A_3);
                  if (among_var == 0) {
                    env.cursor = env.limit - v_18;
                    break lab33;
                  }
                  env.bra = env.cursor;
                  switch (among_var) {
                    case 1: {
                      lab34: while (true) {
                        let v_19 = env.limit - env.cursor;
                        lab35: while (true) {
                          if (i_p2 > env.cursor) {
                            break lab35;
                          }
                          env.slice_del();
                          break lab34;
                        }
                        env.cursor = env.limit - v_19;
                        env.slice_from("abl");
                        break lab34;
                      }
                    } break;
                    case 2: {
                      lab36: while (true) {
                        let v_20 = env.limit - env.cursor;
                        lab37: while (true) {
                          if (i_p2 > env.cursor) {
                            break lab37;
                          }
                          env.slice_del();
                          break lab36;
                        }
                        env.cursor = env.limit - v_20;
                        env.slice_from("iqU");
                        break lab36;
                      }
                    } break;
                    case 3: {
                      if (i_p2 > env.cursor) {
                        env.cursor = env.limit - v_18;
                        break lab33;
                      }
                      env.slice_del();
                    } break;
                    default: break;
                  }
                  break lab33;
                }
              } break;
              case 8: {
                if (i_p2 > env.cursor) {
                  break lab26;
                }
                env.slice_del();
                let v_21 = env.limit - env.cursor;
                lab38: while (true) {
                  env.ket = env.cursor;
                  if (!env.eq_s_b("at")) {
                    env.cursor = env.limit - v_21;
                    break lab38;
                  }
                  env.bra = env.cursor;
                  if (i_p2 > env.cursor) {
                    env.cursor = env.limit - v_21;
                    break lab38;
                  }
                  env.slice_del();
                  env.ket = env.cursor;
                  if (!env.eq_s_b("ic")) {
                    env.cursor = env.limit - v_21;
                    break lab38;
                  }
                  env.bra = env.cursor;
                  lab39: while (true) {
                    let v_22 = env.limit - env.cursor;
                    lab40: while (true) {
                      if (i_p2 > env.cursor) {
                        break lab40;
                      }
                      env.slice_del();
                      break lab39;
                    }
                    env.cursor = env.limit - v_22;
                    env.slice_from("iqU");
                    break lab39;
                  }
                  break lab38;
                }
              } break;
              case 9: {
                env.slice_from("eau");
              } break;
              case 10: {
                if (i_p1 > env.cursor) {
                  break lab26;
                }
                env.slice_from("al");
              } break;
              case 11: {
                if (!env.in_grouping_b(G_oux_ending, 98, 112)) {
                  break lab26;
                }
                env.slice_from("ou");
              } break;
              case 12: {
                lab41: while (true) {
                  let v_23 = env.limit - env.cursor;
                  lab42: while (true) {
                    if (i_p2 > env.cursor) {
                      break lab42;
                    }
                    env.slice_del();
                    break lab41;
                  }
                  env.cursor = env.limit - v_23;
                  if (i_p1 > env.cursor) {
                    break lab26;
                  }
                  env.slice_from("eux");
                  break lab41;
                }
              } break;
              case 13: {
                if (i_p1 > env.cursor) {
                  break lab26;
                }
                if (!env.out_grouping_b(G_v, 97, 251)) {
                  break lab26;
                }
                env.slice_del();
              } break;
              case 14: {
                if (i_pV > env.cursor) {
                  break lab26;
                }
                env.slice_from("ant");
                break lab26;
              } break;
              case 15: {
                if (i_pV > env.cursor) {
                  break lab26;
                }
                env.slice_from("ent");
                break lab26;
              } break;
              case 16: {
                let v_24 = env.limit - env.cursor;
                if (!env.in_grouping_b(G_v, 97, 251)) {
                  break lab26;
                }
                if (i_pV > env.cursor) {
                  break lab26;
                }
                env.cursor = env.limit - v_24;
                env.slice_del();
                break lab26;
              } break;
              default: break;
            }
            break lab25;
          }
          env.cursor = env.limit - v_13;
          lab43: while (true) {
            if (env.cursor < i_pV) {
              break lab43;
            }
            let v_25 = env.limit_backward;
            env.limit_backward = i_pV;
            env.ket = env.cursor;
            if ((env.cursor <= env.limit_backward || env.byte(env.cursor - 1) >> 5 != 3 || ((68944418 >> (env.byte(env.cursor - 1) & 0x1f)) & 1) == 0)) {
              env.limit_backward = v_25;
              break lab43;
            }

            if (env.find_among_b(A_5) == 0) {
              env.limit_backward = v_25;
              break lab43;
            }
            env.bra = env.cursor;
            lab44: while (true) {
              if (!env.eq_s_b("H")) {
                break lab44;
              }
              env.limit_backward = v_25;
              break lab43;
            }
            if (!env.out_grouping_b(G_v, 97, 251)) {
              env.limit_backward = v_25;
              break lab43;
            }
            env.slice_del();
            env.limit_backward = v_25;
            break lab25;
          }
          env.cursor = env.limit - v_13;
          if (env.cursor < i_pV) {
            break lab24;
          }
          let v_26 = env.limit_backward;
          env.limit_backward = i_pV;
          env.ket = env.cursor;
          among_var = env.find_among_b(A_7);
          if (among_var == 0) {
            env.limit_backward = v_26;
            break lab24;
          }
          env.bra = env.cursor;
          env.limit_backward = v_26;
          switch (among_var) {
            case 1: {
              if (i_p2 > env.cursor) {
                break lab24;
              }
              env.slice_del();
            } break;
            case 2: {
              env.slice_del();
            } break;
            case 3: {
              let v_27 = env.limit - env.cursor;
              lab45: while (true) {
                if (!env.eq_s_b("e")) {
                  env.cursor = env.limit - v_27;
                  break lab45;
                }
                if (i_pV > env.cursor) {
                  env.cursor = env.limit - v_27;
                  break lab45;
                }
                env.bra = env.cursor;
                break lab45;
              }
              env.slice_del();
            } break;
            case 4: {
              let v_28 = env.limit - env.cursor;
              lab46: while (true) {
                if ((env.cursor - 1 <= env.limit_backward || (env.byte(env.cursor - 1) != 108 && env.byte(env.cursor - 1) != 118))) {
                  break lab46;
                }

                among_var = env.find_among_b(A_6);
                if (among_var == 0) {
                  break lab46;
                }
                switch (among_var) {
                  case 1: {
                    if (env.cursor <= env.limit_backward) {
                      break lab46;
                    }
                    env.previous_char();
                    if (env.cursor > env.limit_backward) {
                      break lab46;
                    }
                  } break;
                  default: break;
                }
                break lab24;
              }
              env.cursor = env.limit - v_28;
              env.slice_del();
            } break;
            default: break;
          }
          break lab25;
        }
        env.cursor = env.limit - v_12;
        let v_29 = env.limit - env.cursor;
        lab47: while (true) {
          env.ket = env.cursor;
          lab48: while (true) {
            let v_30 = env.limit - env.cursor;
            lab49: while (true) {
              if (!env.eq_s_b("Y")) {
                break lab49;
              }
              env.bra = env.cursor;
              env.slice_from("i");
              break lab48;
            }
            env.cursor = env.limit - v_30;
            if (!env.eq_s_b("ç")) {
              env.cursor = env.limit - v_29;
              break lab47;
            }
            env.bra = env.cursor;
            env.slice_from("c");
            break lab48;
          }
          break lab47;
        }
        break lab23;
      }
      env.cursor = env.limit - v_11;
      let v_31 = env.limit - env.cursor;
      lab50: while (true) {
        env.ket = env.cursor;
        if (!env.eq_s_b("s")) {
          env.cursor = env.limit - v_31;
          break lab50;
        }
        env.bra = env.cursor;
        let v_32 = env.limit - env.cursor;
        lab51: while (true) {
          lab52: while (true) {
            if (!env.eq_s_b("Hi")) {
              break lab52;
            }
            break lab51;
          }
          if (!env.out_grouping_b(G_keep_with_s, 97, 232)) {
            env.cursor = env.limit - v_31;
            break lab50;
          }
          break lab51;
        }
        env.cursor = env.limit - v_32;
        env.slice_del();
        break lab50;
      }
      if (env.cursor < i_pV) {
        break lab22;
      }
      let v_33 = env.limit_backward;
      env.limit_backward = i_pV;
      env.ket = env.cursor;
      if ((env.cursor <= env.limit_backward || env.byte(env.cursor - 1) >> 5 != 3 || ((278560 >> (env.byte(env.cursor - 1) & 0x1f)) & 1) == 0)) {
        env.limit_backward = v_33;
        break lab22;
      }

      among_var = env.find_among_b(A_8);
      if (among_var == 0) {
        env.limit_backward = v_33;
        break lab22;
      }
      env.bra = env.cursor;
      switch (among_var) {
        case 1: {
          if (i_p2 > env.cursor) {
            env.limit_backward = v_33;
            break lab22;
          }
          lab53: while (true) {
            lab54: while (true) {
              if (!env.eq_s_b("s")) {
                break lab54;
              }
              break lab53;
            }
            if (!env.eq_s_b("t")) {
              env.limit_backward = v_33;
              break lab22;
            }
            break lab53;
          }
          env.slice_del();
        } break;
        case 2: {
          env.slice_from("i");
        } break;
        case 3: {
          env.slice_del();
        } break;
        default: break;
      }
      env.limit_backward = v_33;
      break lab23;
    }
    break lab22;
  }
  env.cursor = env.limit - v_10;
  let v_34 = env.limit - env.cursor;
  lab55: while (true) {
    let v_35 = env.limit - env.cursor;
    if ((env.cursor - 2 <= env.limit_backward || env.byte(env.cursor - 1) >> 5 != 3 || ((1069056 >> (env.byte(env.cursor - 1) & 0x1f)) & 1) == 0)) {
      break lab55;
    }

    if (env.find_among_b(A_9) == 0) {
      break lab55;
    }
    env.cursor = env.limit - v_35;
    env.ket = env.cursor;
    if (env.cursor <= env.limit_backward) {
      break lab55;
    }
    env.previous_char();
    env.bra = env.cursor;
    env.slice_del();
    break lab55;
  }
  env.cursor = env.limit - v_34;
  let v_36 = env.limit - env.cursor;
  lab56: while (true) {
    let v_37 = 1;
    replab57: while (true) {
      lab58: for (let _once = 0; _once < 1; _once++) {
        if (!env.out_grouping_b(G_v, 97, 251)) {
          break lab58;
        }
        v_37 -= 1;
        continue replab57;
      }
      break replab57;
    }
    if (v_37 > 0) {
      break lab56;
    }
    env.ket = env.cursor;
    lab59: while (true) {
      lab60: while (true) {
        if (!env.eq_s_b("é")) {
          break lab60;
        }
        break lab59;
      }
      if (!env.eq_s_b("è")) {
        break lab56;
      }
      break lab59;
    }
    env.bra = env.cursor;
    env.slice_from("e");
    break lab56;
  }
  env.cursor = env.limit - v_36;
  env.cursor = env.limit_backward;
  let v_38 = env.cursor;
  lab61: while (true) {
    replab62: while (true) {
      let v_39 = env.cursor;
      lab63: for (let _once = 0; _once < 1; _once++) {
        env.bra = env.cursor;
        if (env.cursor >= env.limit || env.byte(env.cursor + 0) >> 5 != 2 || ((35652352 >> (env.byte(env.cursor + 0) & 0x1f)) & 1) == 0) { among_var = 7; }
        else {
          among_var = env.find_among(A_1);
        }
        env.ket = env.cursor;
        switch (among_var) {
          case 1: {
            env.slice_from("i");
          } break;
          case 2: {
            env.slice_from("u");
          } break;
          case 3: {
            env.slice_from("y");
          } break;
          case 4: {
            env.slice_from("ë");
          } break;
          case 5: {
            env.slice_from("ï");
          } break;
          case 6: {
            env.slice_del();
          } break;
          case 7: {
            if (env.cursor >= env.limit) {
              break lab63;
            }
            env.next_char();
          } break;
          default: break;
        }
        continue replab62;
      }
      env.cursor = v_39;
      break replab62;
    }
    break lab61;
  }
  env.cursor = v_38;
  return true;
}

// @generated-stemmer-end

function stem(word) {
  const env = new SnowballEnv(word);
  frenchStem(env);
  return env.current;
}

// Accent folding for what the index's AsciiFoldingFilter sees in French text.
const FOLD = { 'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'ı': 'i', 'þ': 'th', 'ŀ': 'l', 'ĸ': 'q', 'ŉ': 'n', 'ſ': 's', 'ﬁ': 'fi', 'ﬂ': 'fl', 'ﬀ': 'ff', 'ﬃ': 'ffi', 'ﬄ': 'ffl', 'ﬅ': 'st', 'ﬆ': 'st' };
function fold(token) {
  return token.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\u0000-\u007f]/g, (c) => FOLD[c] ?? c);
}

/** Words of a text as the index analyses them: { folded, stem }. */
function analyze(text) {
  const out = [];
  for (const m of text.matchAll(/[\p{Alphabetic}\p{N}]+/gu)) {
    const folded = fold(m[0].toLowerCase());
    out.push({ folded, stem: stem(folded) });
  }
  return out;
}

// Damerau–Levenshtein (optimal string alignment): a transposition is one edit.
function distanceRow(a, b) {
  const as = Array.from(a), bs = Array.from(b);
  let before = [];
  let prev = bs.map((_, j) => j); prev.push(bs.length);
  for (let i = 0; i < as.length; i++) {
    const cur = new Array(bs.length + 1).fill(i + 1);
    for (let j = 0; j < bs.length; j++) {
      let best = Math.min(prev[j] + (as[i] === bs[j] ? 0 : 1), prev[j + 1] + 1, cur[j] + 1);
      if (i > 0 && j > 0 && as[i] === bs[j - 1] && as[i - 1] === bs[j]) best = Math.min(best, before[j - 1] + 1);
      cur[j + 1] = best;
    }
    before = prev; prev = cur;
  }
  return prev;
}
// Within one edit of the word less at most its four last letters (query.rs suffix_tolerant).
const suffixTolerant = (term, word) => { const r = distanceRow(term, word); return r.slice(Math.max(0, r.length - 5)).some((d) => d <= 1); };
const editDistance = (a, b) => { const r = distanceRow(a, b); return r[r.length - 1]; };
const prefixDistance = (a, b) => Math.min(...distanceRow(a, b));

// The family key of a stem (src/search/analyzer.rs `family`).
function familyKey(stem, suffixes) {
  let key = stem;
  for (const suf of suffixes) {
    if (stem.endsWith(suf) && stem.length - suf.length >= 3) { key = stem.slice(0, -suf.length); break; }
  }
  return /(nn|ll)$/.test(key) ? key.slice(0, -1) : key;
}

// Place keys (src/search/places.rs `key`): "st" spelled out, an arrondissement number bare.
function arrondissement(w) {
  const m = w.match(/^(\d*)(.*)$/);
  const n = m[1] ? parseInt(m[1], 10) : NaN;
  return m[1].length <= 2 && n > 0 && ['', 'e', 'er', 'eme', 'em'].includes(m[2]) ? String(n) : null;
}
function placeKey(words) {
  return words.map((w, i) => (w === 'st' ? 'saint' : w === 'ste' ? 'sainte'
    : i > 0 && i === words.length - 1 ? arrondissement(w) ?? w : w)).join(' ');
}

// ---------------------------------------------------------------- the static index
const f32 = Math.fround;
const K1 = f32(1.2);
const B = 0.75;
// tantivy's field-norm decoding table (FieldNormReader::id_to_fieldnorm).
const FIELDNORMS = (() => {
  const t = [];
  for (let i = 0; i < 40; i++) t.push(i);
  let v = 40;
  for (let g = 0; t.length < 256; g++) for (let j = 0; j < 8 && t.length < 256; j++) { t.push(v); v += 2 ** (g + 1); }
  return t;
})();

function varint(bytes, pos) {
  let v = 0, shift = 0, b;
  do { b = bytes[pos.i++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b >= 0x80);
  return v;
}

const popcount = (x) => { let c = 0; for (let v = x >>> 0; v; v >>>= 1) c += v & 1; return c; };
const zigzag = (v) => (v % 2 ? -(v + 1) / 2 : v / 2);

class StaticIndex {
  constructor(manifestUrl) {
    this.url = new URL(manifestUrl, document.baseURI);
    this.files = new Map();
    this.shards = new Map();
  }
  file(name, kind) {
    if (!this.files.has(name)) {
      const p = fetch(new URL(name, this.url)).then((r) => {
        if (!r.ok) throw new Error(`${name}: ${r.status}`);
        return kind === 'json' ? r.json() : r.arrayBuffer().then((b) => new Uint8Array(b));
      });
      p.catch(() => this.files.delete(name));
      this.files.set(name, p);
    }
    return this.files.get(name);
  }
  async open() {
    const m = this.m = await this.file(this.url.pathname.split('/').pop(), 'json');
    this.n = m.docs;
    this.stop = new Set(m.stop);
    this.fields = m.fields.map((f) => {
      const avg = f32(f32(f.tokens) / f32(m.docs));
      const norm = new Float32Array(256);
      for (let id = 0; id < 256; id++) norm[id] = f32(K1 * f32(f32(1 - B) + f32(f32(B * FIELDNORMS[id]) / avg)));
      return { boost: f32(f.boost), norm };
    });
    return this;
  }
  idf(df) {
    const o = this.m.idf[df];
    if (o !== undefined) return new Float32Array(new Uint32Array([o]).buffer)[0];
    const x = f32(f32(this.n - df + 0.5) / f32(df + 0.5));
    return f32(Math.log(f32(1 + x)));
  }
  // Index of the dictionary shard that would hold `term`.
  shardOf(term) {
    const d = this.m.dict;
    let lo = 0, hi = d.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (d[mid][0] <= term) lo = mid; else hi = mid - 1; }
    return lo;
  }
  async shard(i) {
    if (!this.shards.has(i)) {
      this.shards.set(i, this.file(this.m.dict[i][1], 'bin').then((bytes) => {
        const entries = new Map();
        const pos = { i: 0 };
        const dec = new TextDecoder();
        let prev = new Uint8Array(0);
        while (pos.i < bytes.length) {
          const shared = varint(bytes, pos), len = varint(bytes, pos);
          const t = new Uint8Array(shared + len);
          t.set(prev.subarray(0, shared)); t.set(bytes.subarray(pos.i, pos.i + len), shared);
          pos.i += len; prev = t;
          const pack = varint(bytes, pos);
          let offset = varint(bytes, pos);
          const k = bytes[pos.i++];
          const fields = [];
          for (let j = 0; j < k; j++) {
            const field = bytes[pos.i++], df = varint(bytes, pos), blen = varint(bytes, pos);
            fields.push({ field, df, pack, offset, len: blen });
            offset += blen;
          }
          entries.set(dec.decode(t), fields);
        }
        return entries;
      }));
    }
    return this.shards.get(i);
  }
  async entry(term) {
    return this.m.dict.length ? (await this.shard(this.shardOf(term))).get(term) : undefined;
  }
  // Every term starting with `prefix`, with its entry.
  async withPrefix(prefix) {
    const d = this.m.dict;
    if (!d.length) return [];
    const ids = [this.shardOf(prefix)];
    for (let i = ids[0] + 1; i < d.length && d[i][0].startsWith(prefix); i++) ids.push(i);
    const out = [];
    for (const s of await Promise.all(ids.map((i) => this.shard(i)))) {
      for (const [t, e] of s) if (t.startsWith(prefix)) out.push([t, e]);
    }
    return out;
  }
  async postings(p) {
    const bytes = await this.file(`${this.m.packs.dir}/${p.pack}.bin`, 'bin');
    return bytes.subarray(p.offset, p.offset + p.len);
  }
  // The clauses of each word, as src/search/query.rs plans them (empty: no match).
  async plan(words) {
    const found = new Map();
    const fam = this.m.family;
    // No word stands for a whole job name (query.rs Lexicon::of leaves them out).
    const wordly = (e) => { const x = e?.filter((c) => c.field !== this.m.names.field); return x?.length ? x : undefined; };
    const withPrefix = async (p) => (await this.withPrefix(p)).map(([t, e]) => [t, wordly(e)]).filter(([, e]) => e);
    return Promise.all(words.map(async (w, i) => {
      const last = i === words.length - 1;
      const letters = Array.from(w.folded).length;
      let terms = [];
      const entry = await this.entry(w.stem);
      const own = wordly(entry);
      if (own) { terms.push(w.stem); found.set(w.stem, own); }
      // Two letters that are a term themselves (an acronym: "bts am") are not completed
      // (query.rs word_terms).
      if (last && (letters >= 3 || (letters === 2 && !own))) {
        // From the stem only when it is long enough ("gea" stems to "ge").
        const fromStem = Array.from(w.stem).length >= this.m.stemPrefix;
        const [a, b] = await Promise.all([fromStem ? withPrefix(w.stem) : [], withPrefix(w.folded)]);
        for (const [t, e] of a.concat(b)) {
          if (!terms.includes(t)) terms.push(t);
          found.set(t, e);
        }
      }
      if (!terms.length && letters >= this.m.typo) {
        const first = Array.from(w.stem)[0] ?? '';
        // A term with no field is a known job word no offer has: corrected within its
        // ending only (query.rs word_terms).
        const stemChars = Array.from(w.stem);
        const within = (t) => {
          if (!entry) return true;
          const tc = Array.from(t);
          let k = 0;
          while (k < stemChars.length && k < tc.length && stemChars[k] === tc[k]) k++;
          return k + this.m.knownEnding >= stemChars.length;
        };
        for (const [t, e] of await withPrefix(first)) {
          if (!within(t)) continue;
          const max = letters >= this.m.typo2 ? 2 : 1;
          if ((last ? prefixDistance(w.stem, t) : editDistance(w.stem, t)) <= max
            || (Array.from(t).length >= 5 && suffixTolerant(t, w.folded))) { terms.push(t); found.set(t, e); }
        }
      }
      terms = this.cap(terms, w.stem, found);
      const clauses = terms.flatMap((t) => found.get(t).map((e) => ({ term: t, ...e })));
      const key = familyKey(w.stem, fam.suffixes);
      if (!terms.includes(key)) {
        const e = (await this.entry(key))?.find((x) => x.field === fam.field);
        if (e) clauses.push({ term: key, ...e });
      }
      const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
      return clauses.sort((a, b) => cmp(a.term, b.term) || (a.field - b.field));
    }));
  }
  // Per offer, the words of its job bag that make a whole job name of it (query.rs
  // name_jobs): per run of two or more neighbouring words, the offers of that name.
  // Only runs holding bag words of an offer with two or more are looked up.
  async nameJobs(words, bag, bagged) {
    const paired = new Uint32Array(this.n);
    let wanted = 0;
    for (let o = 0; o < this.n; o++) if (bagged[o] > 1) wanted |= bag[o];
    if (!wanted) return paired;
    const k = Math.min(words.length, 32);
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const bits = (0xffffffff >>> (31 - j)) & (0xffffffff << i);
        const stems = [...new Set(words.slice(i, j + 1).map((w) => w.stem))].sort();
        if (stems.length > this.m.names.max) break;
        if (stems.length < 2 || !(wanted & bits)) continue;
        const e = (await this.entry(`~${stems.join('_')}`))?.find((x) => x.field === this.m.names.field);
        if (!e) continue;
        const bytes = await this.postings(e);
        const pos = { i: 0 };
        let ord = 0;
        for (let d = 0; d < e.df; d++) {
          const v = varint(bytes, pos);
          ord += Math.floor(v / 2);
          pos.i++;
          if (v & 1) varint(bytes, pos);
          paired[ord] |= bag[ord] & bits;
        }
      }
    }
    return paired;
  }
  cap(terms, own, found) {
    const max = this.m.expansions;
    const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    if (terms.length > max) {
      const df = (t) => found.get(t).reduce((s, e) => s + e.df, 0);
      terms.sort((a, b) => ((b === own) - (a === own)) || (df(b) - df(a)) || cmp(a, b));
      terms.length = max;
    }
    return terms.sort(cmp);
  }
  // The shard of places holding a key.
  placeShard(key) {
    const b = new TextEncoder().encode(key);
    const i = ((b[0] ?? 0) * 37 + (b[1] ?? 0)) % Math.max(1, this.m.places.count);
    return this.file(`${this.m.places.dir}/${i}.json`, 'json');
  }
  async town(key) {
    const row = (await this.placeShard(key))[key];
    return row ? { name: row[0], dep: row[1], lat: row[2], lon: row[3] } : null;
  }
  // The "près de" field: "lat,lon" (près de moi), or a town by name, postcode, arrondissement.
  async nearTown(text) {
    const m = text.match(/^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/);
    if (m) {
      const lat = Number(m[1]), lon = Number(m[2]);
      if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) return { name: 'votre position', dep: '', lat, lon };
    }
    const folded = analyze(text).map((w) => w.folded);
    return (await this.town(placeKey(folded)))
      ?? (folded.length > 1 ? await this.town(placeKey(folded.slice(0, -1))) : null);
  }
  // Place, department and diploma type read out of a query (query.rs `understand`).
  async understand(query) {
    const all = await this.unglued(analyze(query));
    const n = all.length;
    const used = new Array(n).fill(false);
    const folded = all.map((w) => w.folded);
    const out = { words: [], place: null, department: null, diploma: null };
    dip: for (let i = 0; i < n; i++) {
      for (const [words, code] of this.m.diplomas) {
        const seq = words.split(' ');
        if (i + seq.length <= n && seq.every((x, k) => folded[i + k] === x)) {
          out.diploma = code; used.fill(true, i, i + seq.length); break dip;
        }
      }
    }
    const subject = new Set(this.m.subject);
    const isSubject = async (w) => ((await this.entry(w.stem)) ?? []).some((e) => subject.has(e.field));
    // A town typed with its own accents is the town even where the word is a subject
    // ("mâcon", not "maçon"), unless a job name spells it so (places.rs `spelled_as_town`).
    const typed = query.toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
    const namesakes = new Set(this.m.namesakes ?? []);
    const spelledAsTown = async (key) => {
      const town = await this.town(key);
      const name = town ? town.name.toLowerCase() : null;
      return !!name && name !== key && typed.includes(name) && !namesakes.has(name);
    };
    plc: for (let i = 0; i < n; i++) {
      for (let len = Math.min(4, n - i); len >= 1; len--) {
        if (used.slice(i, i + len).some(Boolean)) continue;
        const key = placeKey(folded.slice(i, i + len));
        if (len === 1 && (folded[i].length < 2
          || (await isSubject(all[i]) && !(await spelledAsTown(key))))) continue;
        const dep = Object.hasOwn(this.m.departments, key) ? this.m.departments[key] : null;
        if (dep) out.department = dep;
        else {
          const town = await this.town(key);
          if (!town) continue;
          out.place = town;
          if (i + len < n && !used[i + len] && arrondissement(folded[i + len]) !== null) used[i + len] = true;
        }
        used.fill(true, i, i + len);
        break plc;
      }
    }
    const located = out.place || out.department;
    const near = new Set(this.m.near);
    const rest = all.filter((_, i) => !used[i]);
    const kept = rest.filter((w) => !this.stop.has(w.folded) && !(located && near.has(w.folded)));
    out.words = !kept.length && !located && !out.diploma ? rest : kept;
    return out;
  }
  // Each word that matches nothing (not even as a prefix or with a typo) and names no
  // place nor diploma, split in two if it is two glued together (query.rs `unglued`).
  // Here the word's plan comes before the split: it loads the shards the query's own
  // plan loads next, where the split's lookups would load others.
  async unglued(words) {
    const named = async (w) => {
      const key = placeKey([w.folded]);
      return Object.hasOwn(this.m.departments, key) || this.m.diplomas.some(([d]) => d === w.folded)
        || !!(await this.town(key));
    };
    const out = [];
    for (const w of words) {
      const unmatched = !(await this.entry(w.stem)) && !(await named(w)) && !(await this.plan([w]))[0].length;
      const halves = unmatched ? await this.split(w) : null;
      if (halves) out.push(...halves); else out.push(w);
    }
    return out;
  }
  // Two words typed without a space ("webdesigner"): each a term as typed, neither a
  // stop word; the most even split, then the longer first word (query.rs `split`).
  async split(w) {
    const word = (part) => { const folded = part.join(''); return { folded, stem: stem(folded) }; };
    const known = async (x) => !this.stop.has(x.folded) && !!(await this.entry(x.stem));
    const chars = Array.from(w.folded), n = chars.length, min = this.m.splitMin;
    let best = null;
    for (let i = min; i <= n - min; i++) {
      const a = word(chars.slice(0, i)), b = word(chars.slice(i));
      const even = Math.min(i, n - i);
      if (await known(a) && await known(b) && (!best || even > best.even || (even === best.even && i > best.i))) {
        best = { even, i, halves: [a, b] };
      }
    }
    return best?.halves ?? null;
  }
  // Ranks the offers exactly as query.rs `rank`: { understood, ords, matched, dist, radius,
  // approx, elsewhere } — null when nothing is asked. `want(name)` gives the column value
  // a facet must have (0: any, -1: none can).
  async rank(s, valueIndex) {
    const understood = await this.understand(s.q ?? '');
    // A diploma the catalogue lists under its other name (query.rs `diploma_listed`).
    const asked = understood.diploma;
    if (asked && valueIndex('diplome', asked) < 0) {
      for (const [old, nu] of this.m.renamed) {
        const other = asked === old ? nu : asked === nu ? old : null;
        if (other && valueIndex('diplome', other) > 0) { understood.diploma = other; break; }
      }
    }
    const out = { understood, ords: [], dist: new Map(), matched: null, radius: null, approx: false, elsewhere: false };
    const ville = (s.ville ?? '').trim();
    const near = ville ? await this.nearTown(ville) : understood.place;
    out.near = near;
    if (ville && !near) return out;
    const words = understood.words;
    const filters = new Map();
    for (const name of this.m.facets) if (s[name]) filters.set(name, s[name]);
    if (understood.department && !s.dep) filters.set('dep', understood.department);
    if (!words.length) {
      if (understood.diploma && !s.diplome) filters.set('diplome', understood.diploma);
      if (!filters.size && !near) return null;
    }
    const n = this.n;
    // Per offer: words matched, score, words matched in a topic field, in a field that
    // names the offer and in the CFA's names (query.rs `rank`).
    const matched = new Uint8Array(n), total = new Float32Array(n);
    const topics = new Uint8Array(n), titles = new Uint8Array(n), names = new Uint8Array(n);
    // Words an offer is about only through its bag of ROME job words (query.rs Tally),
    // and which (by position in the query, the first 32).
    const bagged = new Uint8Array(n), bag = new Uint32Array(n);
    const topicFields = new Set(this.m.topic), titleFields = new Set(this.m.title);
    let any = null;
    if (words.length) {
      const plan = await this.plan(words);
      for (const [k, clauses] of plan.entries()) {
        const word = words[k];
        const lists = await Promise.all(clauses.map((c) => this.postings(c)));
        const acc = new Float32Array(n);
        const seen = new Uint8Array(n);
        const topical = new Uint8Array(n), titled = new Uint8Array(n), named = new Uint8Array(n);
        const vouched = new Uint8Array(n);
        const touched = [];
        clauses.forEach((c, j) => {
          const topic = topicFields.has(c.field);
          // A synonym names the offer when it is the word itself (query.rs).
          const title = titleFields.has(c.field) && (c.field !== this.m.synonyms || c.term === word.stem);
          const vouch = topic && c.field !== this.m.jobs;
          const org = c.field === this.m.organisation;
          const f = this.fields[c.field];
          // Completions and corrections count half (query.rs clause_boost).
          const boost = c.term !== word.stem && c.field !== this.m.family.field ? f32(f.boost * this.m.expansionBoost) : f.boost;
          let w = f32(this.idf(c.df) * f32(1 + K1));
          if (boost !== 1) w = f32(w * boost);
          const bytes = lists[j];
          const pos = { i: 0 };
          let ord = 0;
          for (let j = 0; j < c.df; j++) {
            const v = varint(bytes, pos);
            ord += Math.floor(v / 2);
            const fid = bytes[pos.i++];
            const tf = v & 1 ? varint(bytes, pos) : 1;
            if (!seen[ord]) { seen[ord] = 1; touched.push(ord); }
            if (topic) topical[ord] = 1;
            if (title) titled[ord] = 1;
            if (org) named[ord] = 1;
            if (vouch) vouched[ord] = 1;
            acc[ord] += f32(w * f32(tf / f32(tf + f.norm[fid])));
          }
        });
        for (const o of touched) {
          total[o] = matched[o] ? total[o] + acc[o] : acc[o];
          matched[o]++;
          topics[o] += topical[o];
          titles[o] += titled[o];
          names[o] += named[o];
          if (topical[o] && !vouched[o]) { bagged[o]++; if (k < 32) bag[o] |= 1 << k; }
        }
      }
      // Two words found only in the bag may come from two job names: together they
      // count as one, unless they make one job name (query.rs Tally::vouched).
      if (words.length > 1) {
        const paired = await this.nameJobs(words, bag, bagged);
        for (let o = 0; o < n; o++) {
          if (bagged[o] > 1) {
            const off = bagged[o] - Math.max(1, popcount(paired[o]));
            matched[o] -= off; topics[o] -= off;
          }
        }
      }
    } else any = true;
    // Only the columns of the facets used: filters, and the diploma for a preference.
    const cols = await Promise.all(this.m.facets.map((name, i) =>
      (filters.has(name) || (name === 'diplome' && understood.diploma) ? this.column(i) : null)));
    const keeper = () => {
      const want = this.m.facets.map((name) => {
        const v = filters.get(name);
        return v ? valueIndex(name, v) : 0;
      });
      return (o) => !filters.size || want.every((w, i) => !w ||
        (this.m.facets[i] === 'voie' ? (cols[i][o] & w) !== 0 : cols[i][o] === w));
    };
    let keep = keeper();
    let ords = [];
    let anyWord = false, full = 0;
    for (let o = 0; o < n; o++) {
      if (matched[o]) anyWord = true;
      if (words.length && matched[o] === words.length) full++;
      if ((any || matched[o]) && keep(o)) ords.push(o);
    }
    // No offer at all has any of the words, but the query also asked for a diploma or a
    // place: the offers of those, flagged approaching (query.rs).
    const unmatched = words.length > 0 && !anyWord && !!(understood.diploma || understood.department || near);
    if (unmatched) {
      if (understood.diploma && !s.diplome) filters.set('diplome', understood.diploma);
      keep = keeper();
      for (let o = 0; o < n; o++) if (keep(o)) ords.push(o);
    }
    const nw = words.length;
    // Every word of two or more in the CFA's names: the query names the CFA.
    if (nw >= 2) for (const o of ords) if (names[o] === nw) topics[o] = nw;
    let byDistance = false;
    if (near && ords.length) {
      const geo = await this.geo();
      for (const o of ords) if (geo.has[o]) out.dist.set(o, distanceKm(near.lat, near.lon, geo.lat[o], geo.lon[o]));
      // The smallest radius that holds a page of the offers most about the words, or all
      // of them within the largest; else the smallest that finds any (query.rs).
      let bm = -1, bt = -1, bn = -1;
      for (const o of ords) {
        if ((matched[o] - bm || topics[o] - bt || titles[o] - bn) > 0) { bm = matched[o]; bt = topics[o]; bn = titles[o]; }
      }
      const within = (o, r) => out.dist.has(o) && out.dist.get(o) <= r;
      const best = (o) => matched[o] === bm && topics[o] === bt && titles[o] === bn;
      const about = (r) => ords.reduce((c, o) => c + (best(o) && within(o, r) ? 1 : 0), 0);
      const radii = this.m.radii;
      const target = Math.min(about(radii.at(-1)), this.m.few);
      const radius = radii.find((r) => target > 0 && about(r) >= target)
        ?? radii.find((r) => ords.some((o) => within(o, r)));
      if (radius !== undefined) {
        ords = ords.filter((o) => within(o, radius));
        out.radius = radius; byDistance = s.tri !== 'date';
      } else { out.elsewhere = true; out.dist.clear(); }
    }
    if (nw >= 2) {
      // Every word required, unless fewer than a page of offers in the catalogue have
      // them all, counted before the filters (query.rs).
      if (full >= this.m.few) ords = ords.filter((o) => matched[o] === nw);
      else if (full > 0) ords = ords.filter((o) => matched[o] === nw || topics[o] > 0);
      out.approx = ords.some((o) => matched[o] < nw);
    }
    if (unmatched && ords.length) out.approx = true;
    const days = s.tri === 'date' ? await this.dates() : null;
    const pref = understood.diploma ? valueIndex('diplome', understood.diploma) : 0;
    const dcol = cols[this.m.facets.indexOf('diplome')];
    const preferred = (o) => (pref > 0 && dcol[o] === pref ? 1 : 0);
    const day = (o) => days[o] || Infinity;
    ords.sort((a, b) => (matched[b] - matched[a]) || (topics[b] - topics[a]) || (titles[b] - titles[a])
      || (preferred(b) - preferred(a))
      || (days ? day(a) - day(b) : byDistance ? out.dist.get(a) - out.dist.get(b) : 0)
      || (total[b] - total[a]) || (a - b));
    out.ords = ords; out.matched = matched; out.scores = total;
    return out;
  }
  // The column of one facet (column values: 1-based positions in the page's lists).
  column(i) {
    this.col ??= [];
    if (!this.col[i]) {
      this.col[i] = this.file(this.m.columns[i], 'bin').then((bytes) => {
        const pos = { i: 0 };
        const out = new Uint16Array(this.n);
        let at = 0;
        for (let r = varint(bytes, pos); r > 0; r--) {
          const v = varint(bytes, pos), len = varint(bytes, pos);
          out.fill(v, at, at + len); at += len;
        }
        return out;
      });
    }
    return this.col[i];
  }
  async columns() {
    return Promise.all(this.m.facets.map((_, i) => this.column(i)));
  }
  // Start dates (days since 1970 + 1; 0: none), for sorting by date.
  async dates() {
    if (!this.days) {
      this.days = this.file(this.m.dates, 'bin').then((bytes) => {
        const pos = { i: 0 };
        const start = new Int32Array(this.n);
        let d = 0;
        for (let i = 0; i < this.n; i++) { d += zigzag(varint(bytes, pos)); start[i] = d; }
        return start;
      });
    }
    return this.days;
  }
  // Coordinates of each offer's place, for "near a town".
  async geo() {
    if (!this.places) {
      this.places = this.file(this.m.geo, 'bin').then((bytes) => {
        const pos = { i: 0 };
        const lat = new Float64Array(this.n), lon = new Float64Array(this.n);
        const has = new Uint8Array(this.n);
        // A table of distinct points, then each offer's point number plus one.
        const count = varint(bytes, pos);
        const plat = new Float64Array(count), plon = new Float64Array(count);
        let a = 0, o = 0;
        for (let k = 0; k < count; k++) {
          a += zigzag(varint(bytes, pos)); o += zigzag(varint(bytes, pos));
          plat[k] = a / this.m.geoScale - 90; plon[k] = o / this.m.geoScale - 180;
        }
        for (let i = 0; i < this.n; i++) {
          const k = varint(bytes, pos);
          if (k) { has[i] = 1; lat[i] = plat[k - 1]; lon[i] = plon[k - 1]; }
        }
        return { lat, lon, has };
      });
    }
    return this.places;
  }
  async records(ords) {
    const per = this.m.records.per;
    const files = [...new Set(ords.map((o) => Math.floor(o / per)))];
    const dir = this.m.records.dir;
    const loaded = new Map(await Promise.all(files.map(async (f) => [f, await this.file(`${dir}/${f}.json`, 'json')])));
    return ords.map((o) => {
      const [id, title, cfa, town, start, end, url] = loaded.get(Math.floor(o / per))[o % per];
      const [, , , , , , , level, places, voies, isNew] = loaded.get(Math.floor(o / per))[o % per];
      return { ord: o, id, title, cfa, town, start, end, url, level, places, voies, isNew };
    });
  }
  communes() { return this.file(this.m.communes, 'json'); }
}

function distanceKm(lat1, lon1, lat2, lon2) {
  const R = 6371.0088, rad = Math.PI / 180;
  const p1 = lat1 * rad, p2 = lat2 * rad, dp = p2 - p1, dl = (lon2 - lon1) * rad;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ---------------------------------------------------------------- the page
const RADII = [20, 30, 50, 75, 100];
const PAGE = 10;
const PARAMS = ['q', 'niveau', 'dep', 'diplome', 'cfa', 'voie', 'ville', 'tri'];

function frDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function start(root) {
  const form = root.querySelector('form');
  const input = form.elements.q;
  const status = root.querySelector('[role="status"]');
  const list = root.querySelector('#resultats');
  const more = root.querySelector('#plus');
  const notes = root.querySelector('#notes');
  const active = root.querySelector('#filtres-actifs');
  const disclosure = root.querySelector('#filtrer');
  const baseTitle = document.title;
  const town = form.elements.ville;
  const townList = root.querySelector('#communes');
  // Facet values in the page's order (the export's columns number them the same way),
  // with the labels and counts baked into the page.
  const facets = {};
  for (const select of form.querySelectorAll('select')) {
    facets[select.name] = [...select.options].filter((o) => o.value).map((o) => {
      const m = o.textContent.match(/^([\s\S]*) \((\d+)\)$/);
      return { value: o.value, label: m ? m[1] : o.textContent, count: m ? Number(m[2]) : 0 };
    });
  }
  const index = new StaticIndex(root.dataset.manifest);
  const ready = index.open();
  let seq = 0, shown = PAGE, last = null, towns = null, wantCounts = false;

  root.hidden = false;
  disclosure.classList.remove('avec-js');
  const params = new URLSearchParams(window.location.search);
  for (const p of PARAMS) if (params.has(p) && form.elements[p]) form.elements[p].value = params.get(p);

  function state() {
    const s = {};
    for (const p of PARAMS) { const v = (form.elements[p]?.value ?? '').trim(); if (v) s[p] = v; }
    return s;
  }

  function keepInUrl(s) {
    const u = new URLSearchParams();
    for (const p of PARAMS) if (s[p]) u.set(p, s[p]);
    const qs = u.toString();
    history.replaceState(null, '', qs ? `?${qs}` : window.location.pathname);
  }

  async function loadTowns() {
    if (!towns) {
      towns = index.communes().then((rows) => {
        const map = new Map();
        const frag = document.createDocumentFragment();
        for (const [name, dep, lat, lon] of rows) {
          const label = `${name} (${dep})`;
          map.set(fold(label.toLowerCase()), { label, lat, lon });
          frag.append(el('option', { value: label }));
        }
        townList.append(frag);
        return map;
      });
    }
    return towns;
  }

  // Column value of a facet value (1-based position in the page's list; voie: its bit).
  function valueIndex(name, v) {
    if (name === 'voie') return v === 'parcoursup' ? 1 : v === 'affelnet' ? 2 : -1;
    const k = (facets[name] ?? []).findIndex((x) => x.value === v);
    return k < 0 ? -1 : k + 1;
  }

  async function run() {
    const my = ++seq;
    performance.mark('vitrine-search');
    const s = state();
    keepInUrl(s);
    await ready;
    const r = await index.rank(s, valueIndex);
    if (my !== seq) return;
    if (!r) {
      countActive(s);
      list.replaceChildren(); more.hidden = true; status.textContent = ''; notes.replaceChildren();
      document.title = baseTitle;
      last = null; updateCounts(null);
      return;
    }
    // Facet columns for the counts once the filters are in use.
    const cols = wantCounts ? await index.columns() : null;
    if (my !== seq) return;
    const filters = index.m.facets.map((name) => s[name] ?? '');
    const want = filters.map((v, i) => (v ? valueIndex(index.m.facets[i], v) : 0));
    const keep = (o, skip, c) => want.every((w, i) => i === skip || !w ||
      (index.m.facets[i] === 'voie' ? (c[i][o] & w) !== 0 : c[i][o] === w));
    countActive(s);
    last = { s, r, ords: r.ords, dist: r.dist, radius: r.radius, base: r.ords, keep, cols, want };
    shown = PAGE;
    updateCounts(last);
    await render(my);
  }

  // "Filtrer (n)": how many filters are in use.
  function countActive(s) {
    const n = [...index.m.facets, 'ville', 'tri'].filter((p) => s[p]).length;
    active.textContent = n ? `(${n})` : '';
  }

  function updateCounts(r) {
    index.m?.facets.forEach((name, i) => {
      const select = form.elements[name];
      if (!select) return;
      const values = facets[name] ?? [];
      // counts[k]: offers with the k-th value (1-based, as in the columns; voie: bit k).
      const counts = new Uint32Array(values.length + 3);
      if (r?.cols) {
        const col = r.cols[i];
        for (const o of r.base) {
          if (!r.keep(o, i, r.cols)) continue;
          const v = col[o];
          if (name === 'voie') { if (v & 1) counts[1]++; if (v & 2) counts[2]++; } else counts[v]++;
        }
      }
      let k = 0;
      for (const opt of select.options) {
        if (!opt.value) continue;
        const base = values[k++];
        const slot = name === 'voie' ? (opt.value === 'parcoursup' ? 1 : 2) : k;
        // After a query, counts show once the columns are here (the filters' first use).
        const text = !r ? `${base.label} (${base.count})` : r.cols ? `${base.label} (${counts[slot]})` : base.label;
        if (opt.textContent !== text) opt.textContent = text;
      }
    });
  }

  const LEVELS = { 3: 'CAP, niveau 3', 4: 'Bac, niveau 4', 5: 'Bac +2', 6: 'Bac +3', 7: 'Bac +5', 8: 'Bac +8' };

  function say(r, n, s) {
    const u = r.understood;
    const q = s.q ? ` pour « ${s.q} »` : '';
    const where = r.radius && r.near ? ` à moins de ${r.radius} km de ${r.near.name === 'votre position' ? 'votre position' : r.near.name}`
      : s.ville && !r.near ? ' (commune inconnue : tapez son nom ou son code postal)' : '';
    const dep = u.department && !s.dep ? ` dans le département ${depName(u.department)}` : '';
    if (n === 0) return `Aucune formation ne correspond${q}${where}${dep}.`;
    const found = `${n} formation${n > 1 ? 's' : ''} trouvée${n > 1 ? 's' : ''}${q}${where}${dep}.`;
    return found;
  }
  function depName(code) {
    const opt = [...form.elements.dep.options].find((o) => o.value === code);
    return opt ? opt.textContent.replace(/ \(\d+\)$/, '') : code;
  }

  async function render(my) {
    const { s, r, ords, dist } = last;
    const page = ords.slice(0, shown);
    const recs = await index.records(page);
    if (my !== seq) return;
    const n = ords.length;
    status.textContent = say(r, n, s);
    document.title = s.q ? `${s.q} — ${baseTitle}` : baseTitle;
    notes.replaceChildren();
    if (r.approx) {
      const nw = r.understood.words.length;
      const full = ords.reduce((c, o) => c + (r.matched[o] === nw ? 1 : 0), 0);
      // Some offers with every word; none, but some with a few; none with any.
      let said;
      if (full) said = `${full === 1 ? 'une seule formation contient' : `seules ${full} formations contiennent`} tous les mots cherchés ; suivent celles qui en contiennent une partie`;
      else if (ords.length && r.matched[ords[0]] > 0) said = 'aucune formation ne contient tous les mots cherchés ; voici celles qui en contiennent le plus';
      else said = 'aucune formation ne contient les mots cherchés ; voici celles qui répondent au reste de la recherche';
      notes.append(el('p', { class: 'approchants', text: `Résultats approchants : ${said}.` }));
    }
    if (r.elsewhere && r.near) {
      notes.append(el('p', { text: `Rien à moins de ${index.m.radii.at(-1)} km de ${r.near.name} : voici les formations ailleurs.` }));
    }
    if (n === 0) notes.append(nextSteps(r, s));
    list.replaceChildren(...groups(recs).map((g) => card(g, r, dist)));
    more.hidden = n <= shown;
    // For the benchmark: from the start of a query to its results on screen.
    performance.measure('vitrine-results', 'vitrine-search');
  }

  // One card per CFA, diploma and place, listing its intakes (in the order found).
  function groups(recs) {
    const by = new Map();
    for (const rec of recs) {
      const k = `${rec.cfa}\u0000${rec.title}\u0000${rec.town ?? ''}`;
      if (!by.has(k)) by.set(k, []);
      by.get(k).push(rec);
    }
    return [...by.values()];
  }

  const LEVEL_WORDS = { 3: 'Niveau CAP (après la 3e)', 4: 'Niveau bac', 5: 'Bac +2', 6: 'Bac +3', 7: 'Bac +5', 8: 'Bac +8' };

  function card(g, r, dist) {
    const rec = g[0];
    const facts = el('ul', { class: 'fiche' });
    const fact = (text, cls) => facts.append(el('li', cls ? { class: cls, text } : { text }));
    if (rec.isNew) fact('Nouveau', 'badge');
    if (LEVEL_WORDS[rec.level]) fact(LEVEL_WORDS[rec.level]);
    // The distance only when both the place asked for and the offer's are known.
    const km = dist.has(rec.ord) && rec.town ? ` — à ${Math.round(dist.get(rec.ord))} km` : '';
    if (rec.town) fact(rec.town + km);
    if (g.length === 1 && rec.start) fact(`Début le ${frDate(rec.start)}`);
    const places = g.reduce((s, x) => s + (x.places ?? 0), 0);
    if (places) fact(`${places} place${places > 1 ? 's' : ''}`);
    if (rec.voies & 1) fact('Parcoursup');
    if (rec.voies & 2) fact('Affelnet');
    const words = r.approx && r.matched && r.matched[rec.ord] > 0
      ? el('p', { class: 'mots', text: `${r.matched[rec.ord]} mot${r.matched[rec.ord] > 1 ? 's' : ''} sur ${r.understood.words.length}` }) : null;
    const sessions = g.length > 1 ? el('ul', { class: 'sessions' }, ...g.map((x) => el('li', {},
      el('a', { href: x.url, text: x.start ? `Rentrée du ${frDate(x.start)}${x.end ? ` au ${frDate(x.end)}` : ''}` : 'Dates à venir' })))) : null;
    return el('li', { 'data-id': rec.id, 'data-ids': g.map((x) => x.id).join(' ') },
      el('h2', {}, el('a', { href: rec.url, text: rec.title })),
      el('p', { text: rec.cfa }), facts, sessions, words);
  }

  // Never an empty page: what to try next.
  function nextSteps(r, s) {
    const ul = el('ul', { class: 'suite' });
    const link = (params, text) => {
      const u = new URLSearchParams(params);
      ul.append(el('li', {}, el('a', { href: `?${u}`, text })));
    };
    const u = r.understood;
    if (u.diploma && (u.words.length || r.near)) link({ diplome: u.diploma }, 'Toutes les formations de ce diplôme');
    if (r.near || u.department) link({ q: u.words.map((w) => w.folded).join(' ') }, 'La même recherche dans toute la région');
    ul.append(el('li', {}, el('a', { href: '/domaines/', text: 'Parcourir les formations par domaine' })));
    ul.append(el('li', {}, el('a', { href: '/departements/', text: 'Parcourir les formations par département' })));
    return el('div', {}, el('p', { text: 'Essayez plutôt :' }), ul);
  }

  let timer = 0;
  const soon = () => { clearTimeout(timer); timer = setTimeout(run, 80); };
  input.addEventListener('input', soon);
  form.addEventListener('change', (e) => { if (e.target !== input) run(); });
  town.addEventListener('focus', loadTowns, { once: true });
  // Using the filters is what makes their counts worth a download.
  const filters = form.querySelector('fieldset');
  const counting = async () => {
    if (wantCounts) return;
    wantCounts = true;
    await ready;
    const cols = await index.columns();
    if (last && !last.cols) { last.cols = cols; updateCounts(last); }
  };
  filters.addEventListener('focusin', counting);
  filters.addEventListener('pointerdown', counting);
  disclosure.addEventListener('toggle', () => { if (disclosure.open) counting(); });
  town.addEventListener('input', soon);
  // "Près de moi": the position is asked only on this click and stays in the page.
  const me = root.querySelector('#moi');
  if (me && navigator.geolocation) {
    me.hidden = false;
    me.addEventListener('click', () => {
      me.disabled = true;
      navigator.geolocation.getCurrentPosition((p) => {
        me.disabled = false;
        town.value = `${p.coords.latitude.toFixed(5)},${p.coords.longitude.toFixed(5)}`;
        run();
      }, () => { me.disabled = false; status.textContent = 'Votre position n’est pas disponible : tapez le nom de votre commune.'; },
      { maximumAge: 600000, timeout: 15000 });
    });
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(timer); run(); });
  more.addEventListener('click', () => { shown += PAGE; render(seq); });
  ready.then(run).catch((e) => { status.textContent = 'La recherche est indisponible pour le moment.'; throw e; });
}

const root = document.getElementById('recherche');
if (root) start(root);
